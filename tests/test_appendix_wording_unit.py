"""The client's appendix says which rows were left out in words a client reads: never a filter,
a pattern, a params key or another client's rows ("'Account' is not acme (tenant filter)")."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from tests.conftest import REPO

from nbreport.report.context import Report, open_report
from nbreport.report.sections.appendix import data_sources
from nbreport.report.sections.left_out import SHARED_EXPORT, client_sentence
from nbreport.sources import SourceSpec, load_sources

OTHER_CLIENT = "globex"
SHARED_ADS = (
    "date,campaign,impressions,clicks,spend,Account\n"
    "2026-10-01,Acme brand,1000,50,10.00,acme\n"
    f"2026-10-01,GLOBEX-SECRET-CAMPAIGN,9999,999,999.00,{OTHER_CLIENT}\n"
    "2026-10-02,Acme brand,1200,60,12.00,acme\n"
    "2026-10-02,Total: acme,2200,110,22.00,acme\n"
    "2026-10-02,Total: all accounts,12199,1109,1021.00,acme\n"
)


@pytest.fixture(scope="module")
def demo_report(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Report:
    return open_report("northwind-outfitters", period="2026-10", project_dir=REPO,
                       data_dir=demo_data_dir, outputs_dir=tmp_path_factory.mktemp("outputs"))


def _with_shared_export(report: Report, data_dir: Path) -> Report:
    """``report`` whose first source's warnings are those of a real shared export's load."""
    (data_dir / "_shared").mkdir()
    (data_dir / "_shared" / "all-clients-ads.csv").write_text(SHARED_ADS, encoding="utf-8")
    (data_dir / "acme").mkdir()
    spec = SourceSpec.model_validate({
        "name": "agency-ads", "kind": "ads", "path": "all-clients-ads.csv", "shared": True,
        "mapping": {"filter": {"Account": "acme"}, "drop": {"campaign": "^Total"}}})
    shared = load_sources([spec], data_dir / "acme").provenance[0]
    data = report.inputs.data
    first = dataclasses.replace(data.provenance[0], warnings=shared.warnings)
    new_data = dataclasses.replace(data, provenance=[first, *data.provenance[1:]])
    return dataclasses.replace(report, inputs=dataclasses.replace(report.inputs, data=new_data))


def test_the_appendix_words_a_shared_export_and_total_rows_for_the_client(
        demo_report: Report, tmp_path: Path) -> None:
    report = _with_shared_export(demo_report, tmp_path)
    html = data_sources(report).html
    notes = [li.get_text(" ", strip=True)
             for li in BeautifulSoup(html, "html.parser").select("ul.nbr-quality li")]
    totals = sum(line.split(",")[1].startswith("Total") for line in SHARED_ADS.splitlines())
    assert any(note.endswith(SHARED_EXPORT) for note in notes), notes
    assert any(note.endswith(f"{totals} rows that were totals, not data, were left out.")
               for note in notes), notes
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    for internal in ("tenant filter", "is not", "Account", "^Total", "matches", "mapping.",
                     OTHER_CLIENT, "GLOBEX"):
        assert internal not in text, internal
    # the analyst's manifest keeps the exact reasons
    analyst = [w.message for w in report.inputs.data.warnings if w.check == "dropped_rows"]
    assert any("tenant filter" in message for message in analyst)


@pytest.mark.parametrize(("message", "sentence"), [
    ("1 row left out: 'Deal Stage' is empty (not data in a HubSpot export).",
     "1 row with no Deal Stage was left out."),
    ("1,204 rows left out: no value in 'Betrag' (mapping.if_blank: drop).",
     "1,204 rows with no Betrag were left out."),
    ("2 rows left out: lines that are no data rows, such as 'Total: 3'; 'Report x'.",
     "2 lines of the export that were titles, notes or totals, not data, were left out."),
    ("5 rows left out: 'Order' matches ^TEST.",
     "5 rows that were not data (such as totals or test entries) were left out."),
    ("3 rows left out: rows of other accounts: 'brand' is not AmazonHelp (tenant filter).",
     SHARED_EXPORT),
])
def test_each_reason_of_the_data_layer_has_a_client_sentence(message: str, sentence: str) -> None:
    assert client_sentence(message) == sentence
