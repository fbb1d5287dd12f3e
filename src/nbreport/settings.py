"""One settings object for a run, built once by the CLI (or a test) and passed down."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from nbreport.core.errors import ConfigError
from nbreport.core.layout import OUTPUTS_FOLDER

DEFAULT_NOTEBOOK = "notebooks/client_report.ipynb"


@dataclass(frozen=True)
class Settings:
    """Where things are and how to run them.

    Attributes
    ----------
    project_dir:
        The agency's project folder: ``params/``, ``data/``, ``notebooks/``, ``templates/``, ``outputs/``.
    kernel_name:
        Jupyter kernel that executes the master notebook.
    start_timeout:
        Seconds to wait for a kernel to start.
    cell_timeout:
        Seconds one cell may run before the client's run is stopped (``None``: no limit).
    report_format:
        ``html`` (default), ``pdf`` or ``html+pdf``: what each client's report is published as
        (see :mod:`nbreport.render.pdf`).
    plain:
        Produce the reports without nbreport's speed tricks: ``papermill.execute_notebook``
        and nbconvert's public ``HTMLExporter``, one client per worker process (see
        :mod:`nbreport.render.plain`). ``nbreport run --plain`` or ``NBREPORT_PLAIN=1``.
    """

    project_dir: Path
    params_dir: Path
    data_dir: Path
    outputs_dir: Path
    notebook: Path
    templates_dir: Path
    kernel_name: str = "python3"
    start_timeout: float = 60.0
    cell_timeout: float | None = 600.0
    report_format: str = "html"
    plain: bool = False

    @classmethod
    def for_project(cls, project_dir: Path | str = ".", **changes: object) -> Settings:
        """Settings with the standard layout under ``project_dir``; ``changes`` override fields."""
        root = Path(project_dir).resolve()
        settings = cls(
            project_dir=root,
            params_dir=root / "params",
            data_dir=root / "data",
            outputs_dir=root / OUTPUTS_FOLDER,
            notebook=root / DEFAULT_NOTEBOOK,
            templates_dir=root / "templates",
        )
        return dataclasses.replace(settings, **changes) if changes else settings  # type: ignore[arg-type]

    def require_project(self) -> None:
        """Raise :class:`ConfigError` naming what is missing from the project folder."""
        for label, path in (("params folder", self.params_dir), ("master notebook", self.notebook),
                            ("templates folder", self.templates_dir)):
            if not path.exists():
                raise ConfigError(f"no {label} ({path.name}) in the project folder; "
                                  "run nbreport from the project folder or pass --project DIR")
