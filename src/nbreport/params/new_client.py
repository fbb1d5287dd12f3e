"""``nbreport new-client ID [--from FILE...] [--like OTHER]``: a new client's params file.

Without options it is the commented scaffold (:mod:`nbreport.params.scaffold`). ``--from``
sniffs each export (:mod:`nbreport.sources.sniff_columns`) and writes one source per file with
its guessed settings, each commented. ``--like OTHER`` starts from another client's params
(branding, KPIs, targets, sources' mappings...) with the client's id and name replaced; with
both, the sources come from the files (a source of OTHER whose columns the new file has lends
its name and mapping) and everything else from OTHER. Files are never copied.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from nbreport.core.errors import ConfigError
from nbreport.core.files import write_atomic
from nbreport.core.yamlfile import read_yaml
from nbreport.params.scaffold import display_name, render_params, target_path
from nbreport.params.scaffold_sources import PlannedSource, render_kpis, render_sources, source_name
from nbreport.settings import Settings

TENANT_TODO = "TODO: this client's value"


@dataclass
class NewClient:
    """What ``new-client`` wrote and what the user still has to do."""

    path: Path
    todo: list[str] = field(default_factory=list)


def create_client(settings: Settings, client_id: str, name: str | None, files: list[Path],
                  like: str | None, force: bool) -> NewClient:
    """Write ``params/<client_id>.yaml``; returns its path and the steps left to the user."""
    path = target_path(settings.params_dir, client_id, force)
    client_dir = settings.data_dir / client_id
    planned = plan_sources(files, client_dir)
    other = _other_params(settings.params_dir, like) if like else None
    todo = [f"put {plan.found.path.name} in data/{client_id}/{plan.path}" for plan in planned
            if not plan.inside]
    if other is None:
        text = _from_files(client_id, display_name(client_id, name), planned) if planned else \
            render_params(client_id, display_name(client_id, name))
    else:
        text = _like(client_id, name, like or "", other, planned, todo)
    write_atomic(path, text)
    return NewClient(path, todo)


def plan_sources(files: list[Path], client_dir: Path) -> list[PlannedSource]:
    """Sniff each file and decide its source name and path (relative to the client's folder)."""
    from nbreport.sources.sniff_columns import sniff_file

    taken: set[str] = set()
    planned = []
    for file in files:
        if not file.is_file():
            raise ConfigError(f"{file}: no such file; --from takes the client's export files")
        inside = _inside(file, client_dir)
        relative = file.resolve().relative_to(client_dir.resolve()).as_posix() if inside else file.name
        planned.append(PlannedSource(sniff_file(file), source_name(file.stem, taken), relative, inside))
    return planned


def _inside(file: Path, folder: Path) -> bool:
    try:
        file.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _from_files(client_id: str, name: str, planned: list[PlannedSource]) -> str:
    currencies = {plan.found.currency for plan in planned} - {None}
    sources = render_sources(planned, client_id) + [""] + render_kpis(planned)
    return render_params(client_id, name, sources="\n".join(sources) + "\n",
                         budget=any(plan.found.kind == "ads" for plan in planned),
                         currency=currencies.pop() if len(currencies) == 1 else None)


# --- --like ---------------------------------------------------------------------------------
def _other_params(params_dir: Path, other: str) -> dict[str, Any]:
    from nbreport.params import client_files

    known = client_files(params_dir)
    if other not in known:
        import difflib

        close = difflib.get_close_matches(other, list(known), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f" (clients: {', '.join(known) or 'none'})"
        raise ConfigError(f"--like {other}: no params/{other}.yaml{hint}")
    return read_yaml(known[other], f"params/{other}.yaml").data


def _like(client_id: str, name: str | None, other_id: str, other: dict[str, Any],
          planned: list[PlannedSource], todo: list[str]) -> str:
    data = copy.deepcopy(other)
    client = data.setdefault("client", {})
    client["id"] = client_id
    client["name"] = name or display_name(client_id, None)
    other_sources = data.pop("sources", [])
    head = {key: data.pop(key) for key in ("client", "period") if key in data}
    header = [f"# Parameters of {client['name']}'s report, copied from params/{other_id}.yaml by",
              f"# `nbreport new-client {client_id} --like {other_id}` (its comments are not copied).",
              f"# `nbreport validate {client_id}` checks this file.", ""]
    if planned:
        names = _lend(planned, other_sources, other_id)
        sources = render_sources(planned, client_id)
        if "overlaps" in data and not all(set(o.get("sources", [])) <= names for o in data["overlaps"]):
            data.pop("overlaps")  # OTHER's overlaps name its sources; the sniffed ones say their own
            todo.append(f"{other_id}'s overlaps named sources this client does not have: check overlaps")
        elif "overlaps" in data:
            sources = [s for s in sources if not s.startswith(("overlaps:", "  - {sources:"))]
    else:
        names = {s.get("name") for s in other_sources}
        sources = _dump({"sources": _without_tenants(other_sources, todo)}).splitlines()
        todo.append(f"put this client's exports in data/{client_id}/ under the paths of sources")
    _drop_missing_sources(data, names, todo)
    return "\n".join([*header, _dump(head).rstrip(), "", *sources, "", _dump(data).rstrip(), ""])


def _lend(planned: list[PlannedSource], other_sources: list[dict[str, Any]], other_id: str) -> set[str]:
    """Give each sniffed source the name and mapping of OTHER's source that reads its columns."""
    from dataclasses import replace

    names: set[str] = set()
    for index, plan in enumerate(planned):
        match = next((s for s in other_sources if s.get("name") not in names and _reads(s, plan)), None)
        if match is not None:
            plan = replace(plan, name=str(match["name"]), lent=(other_id, match.get("mapping") or {}))
            planned[index] = plan
        names.add(plan.name)
    return names


def _reads(source: dict[str, Any], plan: PlannedSource) -> bool:
    """Whether OTHER's source reads this export: same preset, or every renamed column present."""
    found = plan.found
    if source.get("kind") != found.kind:
        return False
    if found.preset is not None:
        return source.get("preset") == found.preset.preset.name
    rename = (source.get("mapping") or {}).get("rename") or {}
    plain = [key for key in rename if not str(key).startswith("re:")]
    return bool(plain) and source.get("preset") is None and set(plain) <= set(found.header)


def _without_tenants(sources: list[dict[str, Any]], todo: list[str]) -> list[dict[str, Any]]:
    """OTHER's sources, their tenant filters emptied: they select OTHER's rows, never this client's."""
    out = copy.deepcopy(sources)
    for source in out:
        tenant = (source.get("mapping") or {}).get("filter")
        if tenant:
            source["mapping"]["filter"] = {column: TENANT_TODO for column in tenant}
            todo.append(f"source {source.get('name')}: set this client's value in mapping.filter "
                        f"(it held the other client's)")
    return out


def _drop_missing_sources(data: dict[str, Any], names: set[str], todo: list[str]) -> None:
    """KPIs and cross-checks that name a source this client lacks read all sources instead."""
    for key, items in (("kpis", data.get("kpis") or []),
                       ("triangulation", [m for t in data.get("triangulation") or []
                                          for m in t.get("measures") or []])):
        for item in items:
            if isinstance(item, dict) and item.get("source") not in (None, *names):
                todo.append(f"{key}: '{item.pop('source')}' is no source of this client; "
                            "the entry now reads every source of its kind")


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False,
                          width=100) if data else ""

