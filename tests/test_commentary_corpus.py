"""The commentary check on the demo reports: every planted contradiction flagged, approved text never.

The corpus is ``tests/data/commentary_corpus.yaml``: sentences written against the demo reports of
2026-10 that contradict them by a wide margin (numbers, directions and size words, counts of KPIs
on target, ranks of channels and campaigns), and sentences that agree with them. The demo's own
commentary (``commentary/*/2026-10.md``) is approved text too. Reports are built in-process from
the demo data (no kernel). Run with ``-s`` to see the figures.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from nbreport.commentary.facts import consistency_checker
from nbreport.commentary.markup import render_text
from nbreport.commentary.sentences import sentence_spans
from nbreport.report import Report, open_report
from tests.conftest import DEMO_CLIENTS, REPO

CORPUS = yaml.safe_load((Path(__file__).parent / "data" / "commentary_corpus.yaml").read_text("utf-8"))
KINDS = ("numeric", "direction", "count", "rank")
# the flags that answer each kind of planted contradiction
FLAG_KINDS = {"numeric": {"value", "change", "previous", "target", "attainment", "points"},
              "direction": {"direction", "size"}, "count": {"count"}, "rank": {"rank"}}
PLANTED = [(client, kind, text) for client, spec in CORPUS["clients"].items()
           for kind in KINDS for text in spec["planted"][kind]]


# The corpus is English commentary (the checker reads English). Harbourside's report is German
# (its labels too): checked here as the English report of the same numbers, its KPIs labelled
# as an English-speaking client would label them.
ENGLISH_LABELS = {"Terminanfragen": "Booking requests", "Wahrgenommene Termine": "Appointments attended",
                  "Kosten pro Terminanfrage aus bezahlten Kanälen": "Cost per booking request from paid channels",
                  "Behandlungsumsatz": "Treatment revenue", "Patientenzufriedenheit": "Patient satisfaction"}


def _english(client: str) -> dict[str, Any]:
    plain = yaml.safe_load((REPO / "params" / f"{client}.yaml").read_text(encoding="utf-8"))
    plain["report"] = {**plain.get("report", {}), "language": "en"}
    for kpi in plain["kpis"]:
        kpi["label"] = ENGLISH_LABELS.get(kpi.get("label"), kpi.get("label"))
    return plain


@pytest.fixture(scope="module")
def reports(demo_data_dir: Path) -> dict[str, Report]:
    """The demo clients' reports for 2026-10, with the project's own params and commentary."""
    return {client: open_report(client, project_dir=REPO, data_dir=demo_data_dir, period="2026-10",
                                params=_english(client) if client == "harbourside-dental" else None)
            for client in DEMO_CLIENTS}


def test_the_corpus_covers_every_kind_for_every_demo_client() -> None:
    assert len(PLANTED) >= 60
    per_kind = Counter(kind for _, kind, _ in PLANTED)
    assert all(per_kind[kind] >= 10 for kind in KINDS), per_kind
    assert {(client, kind) for client, kind, _ in PLANTED} == {(c, k) for c in DEMO_CLIENTS for k in KINDS}


@pytest.mark.parametrize(("client", "kind", "text"), PLANTED,
                         ids=[f"{c[:10]}-{k}: {t[:50]}" for c, k, t in PLANTED])
def test_planted_contradiction_is_flagged(reports: dict[str, Report], client: str, kind: str,
                                          text: str) -> None:
    flags = consistency_checker(reports[client].commentary.view).check(text)
    assert {flag.kind for flag in flags} & FLAG_KINDS[kind], [f.message for f in flags]
    assert all(flag.sentence == text and flag.actual for flag in flags)


def test_planted_counts_are_off_by_two_or_more(reports: dict[str, Report]) -> None:
    """The count sentences really are wrong by a wide margin: the statuses recomputed here from
    each KPI's actual and target (at or past the target is on target)."""
    for client, spec in CORPUS["clients"].items():
        kpis = [k for k in reports[client].results.kpis if k.target == k.target]  # with a target
        on = sum((k.actual >= k.target) if k.direction == "higher" else (k.actual <= k.target) for k in kpis)
        assert on == sum(k.status == "green" for k in kpis), client
        assert 2 <= len(kpis) - on and on >= 2, client  # so that "all", "none", "two" can be wrong by 2


def _approved_texts(reports: dict[str, Report]) -> list[tuple[str, str, str]]:
    """(client, where, text): each written section of the demo commentary, each approved sentence."""
    texts = []
    for client, report in reports.items():
        commentary = report.commentary
        texts += [(client, f"{commentary.display} {section.info.title}", section.source)
                  for section in commentary.sections.values() if not section.draft]
        texts += [(client, "corpus", text) for text in CORPUS["clients"][client]["approved"]]
    return texts


def test_corpus_figures(reports: dict[str, Report]) -> None:
    """All planted sentences flagged, no false flag on approved text; prints the figures."""
    flagged: Counter[str] = Counter()
    planted: Counter[str] = Counter()
    for client, kind, text in PLANTED:
        planted[kind] += 1
        kinds = {f.kind for f in consistency_checker(reports[client].commentary.view).check(text)}
        flagged[kind] += bool(kinds & FLAG_KINDS[kind])
    sentences, false_flags = 0, []
    for client, where, text in _approved_texts(reports):
        report = reports[client]
        rendered = render_text(text, report.commentary.bindings, check=consistency_checker(report.commentary.view).check)
        assert rendered.problems == [], (where, rendered.problems)
        sentences += len(sentence_spans(rendered.plain))
        false_flags += [f"{client} ({where}): {flag.message}" for flag in rendered.flags]
    print(f"\nplanted n={sum(planted.values())}, flagged n={sum(flagged.values())}")
    for kind in KINDS:
        print(f"  {kind:<9} planted {planted[kind]:>3}  flagged {flagged[kind]:>3}")
    print(f"approved sentences n={sentences}, false flags n={len(false_flags)}")
    for line in false_flags:
        print("  false flag:", line)
    assert flagged == planted and false_flags == [] and sentences >= 40
