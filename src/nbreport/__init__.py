"""nbreport: a client report for every client, every period, from one Jupyter notebook.

The public API is small and explicit; everything else is an implementation detail.
Importing this package is cheap: heavy libraries load only where they are used.
"""

__version__ = "0.1.0"

from nbreport.core.errors import (  # noqa: E402
    ConfigError,
    DataError,
    NbreportError,
    ParamsError,
    ReportError,
)

__all__ = [
    "ConfigError",
    "DataError",
    "NbreportError",
    "ParamsError",
    "ReportError",
    "__version__",
]
