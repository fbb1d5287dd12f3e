"""Find, read, merge and validate client parameter files.

Order of precedence, lowest first: ``params/_defaults.yaml``, the client's
``params/<client-id>.yaml``, then overrides given for one run (``--period``,
``--set key=value``). Mappings merge key by key; lists and values replace.
Every problem is reported at once, naming the file, line and key.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from nbreport.core.errors import ConfigError, ParamsError, ParamsIssue
from nbreport.params.magnitudes import magnitude_problems
from nbreport.params.overrides import COMMAND_LINE, CommandLine, parse_override
from nbreport.params.schema import ClientParams
from nbreport.core.yamlfile import Loc, YamlDocument, dotted_key, read_yaml
from nbreport.core.strict_model import SLUG_HELP, SLUG_RE

DEFAULTS_FILE = "_defaults.yaml"

__all__ = [
    "DEFAULTS_FILE",
    "client_files",
    "load_client_params",
    "params_from_plain",
    "params_hash",
    "parse_override",
]


def client_files(params_dir: Path) -> dict[str, Path]:
    """Client id -> params file, for every ``*.yaml`` not starting with ``_``."""
    if not params_dir.is_dir():
        raise ConfigError(f"no params folder at {params_dir.name}/; create it or pass --project")
    files = sorted([*params_dir.glob("*.yaml"), *params_dir.glob("*.yml")])
    return {path.stem: path for path in files if not path.name.startswith(("_", "."))}


def load_client_params(
    client_id: str,
    params_dir: Path,
    *,
    overrides: dict[str, Any] | None = None,
) -> ClientParams:
    """Load one client's validated parameters.

    Parameters
    ----------
    client_id:
        The client's id; its file is ``<params_dir>/<client_id>.yaml``.
    params_dir:
        The project's ``params/`` folder.
    overrides:
        Dotted key -> value for this run only, e.g. ``{"period": "2026-10"}``.

    Raises
    ------
    ParamsError
        Listing every problem with the file, line and key at fault.
    """
    if not SLUG_RE.match(client_id):
        raise ParamsError(f"client '{client_id}'", [ParamsIssue("client id", f"must be {SLUG_HELP}")])
    files = client_files(params_dir)
    if client_id not in files:
        close = difflib.get_close_matches(client_id, files, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; known clients: {', '.join(files) or 'none'}"
        raise ParamsError(f"{params_dir.name}/{client_id}.yaml", [ParamsIssue(
            "(file)", f"no params file for client '{client_id}'{hint} "
            f"(create one with: nbreport new-client {client_id})")])
    layers = _layers(params_dir, files[client_id], overrides or {})
    params = _validate(layers)
    if params.client.id != client_id:
        client_doc = layers[-2] if overrides else layers[-1]
        raise ParamsError(client_doc.source, [ParamsIssue(
            "client.id", f"is '{params.client.id}' but the file is named '{client_id}.yaml'; "
            "make them the same", line=client_doc.line_of(("client", "id")), source=client_doc.source)])
    return params


def params_from_plain(data: dict[str, Any], source: str = "parameters") -> ClientParams:
    """Validate parameters that arrive as plain values (e.g. injected by papermill)."""
    return _validate([YamlDocument(data, source)])


def params_hash(params: ClientParams) -> str:
    """A stable hash of the resolved parameters (first 16 hex digits of SHA-256)."""
    canonical = json.dumps(params.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


# --- merging ------------------------------------------------------------------------------
def _layers(params_dir: Path, client_file: Path, overrides: dict[str, Any]) -> list[YamlDocument]:
    folder = params_dir.name
    layers = []
    defaults = params_dir / DEFAULTS_FILE
    if defaults.exists():
        layers.append(read_yaml(defaults, f"{folder}/{DEFAULTS_FILE}"))
    layers.append(read_yaml(client_file, f"{folder}/{client_file.name}"))
    if overrides:
        layers.append(_overrides_document(overrides))
    return layers


def _overrides_document(overrides: dict[str, Any]) -> YamlDocument:
    return CommandLine(overrides)


def _merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


# --- validation and error messages --------------------------------------------------------
def _validate(layers: list[YamlDocument]) -> ClientParams:
    data: dict[str, Any] = {}
    for layer in layers:
        data = layer.apply(data) if isinstance(layer, CommandLine) else _merge(data, layer.data)
    main = next((layer for layer in reversed(layers) if layer.source != COMMAND_LINE), layers[-1])
    try:
        params = ClientParams.model_validate(data)
    except ValidationError as exc:
        issues = [_issue(error, layers, main) for error in exc.errors()]
        raise ParamsError(main.source, _unique(issues)) from None
    issues = [_located(loc, message, layers, main) for loc, message in magnitude_problems(params)]
    if issues:
        raise ParamsError(main.source, issues)
    return params


def _located(loc: Loc, message: str, layers: list[YamlDocument], main: YamlDocument) -> ParamsIssue:
    owner = next((layer for layer in reversed(layers) if layer.has(loc)), main)
    return ParamsIssue(dotted_key(loc), message, line=owner.line_of(loc), source=owner.source)


def _issue(error: Any, layers: list[YamlDocument], main: YamlDocument) -> ParamsIssue:
    loc: Loc = tuple(part for part in error["loc"] if _is_key(part))
    owner = next((layer for layer in reversed(layers) if layer.has(loc)), main)
    key = dotted_key(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        message = _unknown_key_message(loc)
    elif kind == "missing":
        message = f"required key is missing; expected {_describe_field(loc)}"
    else:
        message = str(error["msg"]).removeprefix("Value error, ")
        if kind not in ("value_error", "assertion_error") and "input" in error:
            message += f" (got {_short_repr(error['input'])})"
    return ParamsIssue(key, message, line=owner.line_of(loc), source=owner.source)


def _is_key(part: Any) -> bool:
    # pydantic adds the names of union members and function validators to locations
    return isinstance(part, int) or (isinstance(part, str) and not part.startswith(("function-", "tagged-union")))


def _unique(issues: list[ParamsIssue]) -> list[ParamsIssue]:
    return list(dict.fromkeys(issues))


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _unknown_key_message(loc: Loc) -> str:
    parent = _model_at(loc[:-1])
    allowed = list(parent.model_fields) if parent else []
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown key; {hint}allowed keys here: {', '.join(allowed)}"


def _describe_field(loc: Loc) -> str:
    parent = _model_at(loc[:-1])
    if parent is None or loc[-1] not in parent.model_fields:
        return "a value"
    info = parent.model_fields[str(loc[-1])]
    model = _inner_model(info.annotation)
    if model is not None:
        return f"a mapping with keys {', '.join(model.model_fields)}"
    return info.description or _type_name(info.annotation)


def _model_at(loc: Loc) -> type[BaseModel] | None:
    model: type[BaseModel] | None = ClientParams
    for part in loc:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        model = _inner_model(field.annotation) if field else None
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside ``X``, ``X | None``, ``list[X]``, ``Annotated[list[X], ...]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        if (found := _inner_model(arg)) is not None:
            return found
    return None


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _type_name(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(arg) for arg in typing.get_args(annotation))
    names = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
             type(None): "nothing"}
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))
