"""Demo data for the fictional demo clients, generated on demand (never committed)."""

from __future__ import annotations

import logging
from pathlib import Path

from nbreport.core.files import write_atomic
from nbreport.demo.generator import fingerprint, generate_client
from nbreport.demo.profiles import DEMO_END, DEMO_START, PROFILES, ClientProfile

__all__ = ["DEMO_END", "DEMO_START", "PROFILES", "ClientProfile", "generate_demo_data"]

log = logging.getLogger(__name__)
MARKER = ".demo-fingerprint"


def generate_demo_data(data_dir: Path, *, force: bool = False) -> list[str]:
    """Write every demo client's data under ``data_dir/<client-id>/``.

    A client whose folder already holds data from the same generator version
    is left alone unless ``force``; returns the ids of the clients written.
    """
    written = []
    for client_id, profile in PROFILES.items():
        folder = data_dir / client_id
        marker = folder / MARKER
        expected = fingerprint(profile)
        if not force and marker.exists() and marker.read_text().strip() == expected:
            continue
        log.info("generating demo data for %s", client_id)
        generate_client(profile, folder)
        write_atomic(marker, expected + "\n")
        written.append(client_id)
    return written
