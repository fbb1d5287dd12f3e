"""The base of every params model: unknown keys are errors, values are not coerced silently."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
SLUG_RE = re.compile(SLUG_PATTERN)
SLUG_HELP = (
    "a slug: lower-case letters, digits and single hyphens, 1-64 characters, "
    "starting and ending with a letter or digit (e.g. 'acme-outdoor')"
)


def pattern_text(pattern: str, expected: str) -> Any:
    """A string type checked against ``pattern`` whose error says ``expected`` in words."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.match(value):
            raise ValueError(f"'{value}' is not valid: expected {expected}")
        return value

    return Annotated[str, AfterValidator(check), Field(json_schema_extra={"pattern": pattern})]


Slug = pattern_text(SLUG_PATTERN, SLUG_HELP)
"""An identifier that is also safe as a file or folder name."""

HexColor = pattern_text(r"^#(?:[0-9a-fA-F]{3}){1,2}$", "a colour written #rgb or #rrggbb, e.g. '#1f3a5f'")
"""A CSS colour written as ``#rgb`` or ``#rrggbb``."""


class StrictModel(BaseModel):
    """Rejects unknown keys (a misspelt key must never be ignored) and infinite or not-a-number
    values (``.inf``, ``.nan``, ``1e400``), and is immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              allow_inf_nan=False)
