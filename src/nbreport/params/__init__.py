"""Client parameters: schema, periods, loading and validation."""

from nbreport.params.loader import (
    DEFAULTS_FILE,
    client_files,
    load_client_params,
    params_from_plain,
    params_hash,
    parse_override,
)
from nbreport.core.period import Period, PeriodParseError
from nbreport.params.schema import Branding, ClientInfo, ClientParams, ReportOptions

__all__ = [
    "DEFAULTS_FILE",
    "Branding",
    "ClientInfo",
    "ClientParams",
    "Period",
    "PeriodParseError",
    "ReportOptions",
    "client_files",
    "load_client_params",
    "params_from_plain",
    "params_hash",
    "parse_override",
]
