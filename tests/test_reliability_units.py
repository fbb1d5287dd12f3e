"""Unit tests of the reliability modules the CLI tests reach only through ``nbreport validate``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from pydantic import BaseModel

from nbreport import stopping
from nbreport.core.errors import DataError
from nbreport.core.limits import LARGEST_AMOUNT
from nbreport.params import load_client_params
from nbreport.params.magnitudes import magnitude_problems
from nbreport.qa.dom import Page
from nbreport.sources.binary import first_undecodable, not_text, refuse_nul, undecodable
from nbreport.sources.preflight import check_client_data
from tests.conftest import REPO


class Amounts(BaseModel):
    budget: float
    targets: list[float]
    label: str = "x"


def test_magnitude_problems_name_each_key_over_the_limit() -> None:
    found = magnitude_problems(Amounts(budget=1e30, targets=[5.0, float(LARGEST_AMOUNT) * 2]))
    assert [loc for loc, _ in found] == [("budget",), ("targets", 1)]
    assert "larger than any real amount" in found[0][1] and "1e+30" in found[0][1]
    assert magnitude_problems(Amounts(budget=float(LARGEST_AMOUNT), targets=[])) == []


def test_dom_page_reads_what_a_browser_would_load_not_the_text() -> None:
    page = Page.parse('<p>&lt;img src=https://evil.example/x.png&gt;</p>'
                      '<img src="https://cdn.example/a.png" alt="a"><img src="data:image/png;base64,AA">'
                      '<div style="background: url(//cdn.example/b.png)"></div><!-- note -->')
    found = page.remote_resources()
    assert len(found) == 2 and "cdn.example/a.png" in found[0] and "url(//" in found[1]
    text, attributes, comments = page.strings()
    assert "<img src=https://evil.example/x.png>" in text and "note" in comments
    assert "data:image/png;base64,AA" in attributes


def test_binary_files_get_advice_that_can_help(tmp_path: Path) -> None:
    png = tmp_path / "ads.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert "first bytes are those of" in str(not_text(png, "ads", "ads.csv", "utf-8"))
    junk = tmp_path / "web.csv"
    junk.write_bytes(b"date,sessions\n2026-10-01,5\n" + bytes([0xff, 0x00, 0x13, 0x8f] * 20) + b"\n")
    assert first_undecodable(junk, "utf-8") == len(b"date,sessions\n2026-10-01,5\n")
    error = undecodable(junk, "utf-8", "web", "web.csv")
    assert isinstance(error, DataError) and "binary data" in str(error) and "line 3" in str(error)
    latin = tmp_path / "crm.csv"
    latin.write_bytes("date,name\n2026-10-01,Zoë\n".encode("cp1252"))
    assert "set 'encoding'" in str(undecodable(latin, "utf-8", "crm", "crm.csv"))
    assert not_text(latin, "crm", "crm.csv", "utf-8") is None


def test_preflight_reads_the_demo_client_s_files(demo_data_dir: Path, tmp_path: Path) -> None:
    params = load_client_params("ledgerline", REPO / "params")
    found = check_client_data(params, demo_data_dir / "ledgerline")
    assert found.errors == [] and found.missing == []
    empty = check_client_data(params, tmp_path)
    assert len(empty.missing) == len([s for s in params.sources if s.file]) and empty.notes


def test_a_nul_byte_is_refused_naming_its_row_and_column() -> None:
    table = pa.table({"campaign": ["Brand", "Sp\x00am", None], "spend": [1.0, 2.0, 3.0]})
    with pytest.raises(DataError) as caught:
        refuse_nul(table, np.array([2, 3, 4]), "ads", "ads.csv")
    assert caught.value.row == 3 and caught.value.column == "campaign"
    assert "Sp<NUL>am" in str(caught.value)
    refuse_nul(pa.table({"campaign": ["Brand"]}), np.array([2]), "ads", "ads.csv")  # no NUL: fine


def test_a_stop_stuck_in_a_long_call_still_exits_130_within_the_grace() -> None:
    # the SIGTERM handler itself hangs, as a long call into C would: the watchdog ends the process
    code = ("import os, signal, time\n"
            "from nbreport import stopping\n"
            "stopping.arm(); stopping.arm()  # arming twice starts one watchdog\n"
            "signal.signal(signal.SIGTERM, lambda *_: time.sleep(30))\n"
            "os.kill(os.getpid(), signal.SIGTERM)\n"
            "time.sleep(30)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert done.returncode == stopping.EXIT_INTERRUPTED and done.stderr.count("aborted") == 1
