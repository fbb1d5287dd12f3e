"""`nbreport new-client ID --from FILE... [--like OTHER]`: params guessed from exports.

Each fixture export is written here with the trap it stands for (a title block, semicolons and
D.MM.YYYY dates, cp1252 bytes, ids mangled by a spreadsheet, micros, a brand column, ambiguous
dates); the written params are loaded as YAML and checked guess by guess, then validated with
the real CLI against the files. Expected values come from the fixtures (or plain pandas), never
from the sniffer.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from nbreport.core.errors import DataError
from nbreport.sources import SourceSpec
from nbreport.sources.reading import read_raw
from nbreport.sources.sniff import sniff_layout, suggest_reading
from nbreport.sources.sniff_columns import sniff_file
from tests.conftest import REPO

PERIOD = "2026-09"


def nbreport(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nbreport", "--project", str(project), *args],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "params").mkdir(parents=True)
    shutil.copy(REPO / "params" / "_defaults.yaml", root / "params" / "_defaults.yaml")
    return root


def google_ads_export(path: Path) -> None:
    """A Google Ads UI download: title and date-range lines above the header, a total row."""
    lines = ["Campaign performance report", "September 1, 2026 - September 30, 2026",
             "Day,Campaign,Campaign type,Impr.,Clicks,Cost,Currency code,Conversions,Conv. value,CTR"]
    for day in range(1, 31):
        for campaign in ("Brand", "Generic"):
            lines.append(f"2026-09-{day:02d},{campaign},Search,{100 + day},{10 + day % 7},"
                         f"{20 + day}.50,USD,{day % 3},{day * 4}.00,{(10 + day % 7) / (100 + day):.2%}")
    lines.append("Total: Account,--,--,9999,999,999.00,USD,9,99.00,--")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def semicolon_export(path: Path) -> None:
    """A German-style ads export: semicolons, D.MM.YYYY dates."""
    lines = ["Campaign;Date;Cost;Impressions;Clicks"]
    lines += [f"Herbst;{day}.09.2026;{day * 3};{day * 50};{day}" for day in range(1, 31)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def cp1252_orders(path: Path) -> None:
    """An orders export saved by Excel on Windows: cp1252 bytes (é, €) that are no UTF-8."""
    lines = ["Order ID,Order Date,Revenue,Channel"]
    lines += [f"A-{n:04d},2026-09-{1 + n % 30:02d},{n * 2.5:.2f},{'Café Ads' if n % 2 else 'Direct'}"
              for n in range(1, 61)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def load(project: Path, client: str) -> dict:
    return yaml.safe_load((project / "params" / f"{client}.yaml").read_text())


def test_google_ads_export_with_a_title_block_is_recognised_and_validates(project: Path) -> None:
    folder = project / "data" / "acme"
    folder.mkdir(parents=True)
    google_ads_export(folder / "google ads.csv")
    done = nbreport(project, "new-client", "acme", "--from", str(folder / "google ads.csv"))
    assert done.returncode == 0, done.stderr
    params = load(project, "acme")
    [source] = params["sources"]
    assert source["preset"] == "google_ads" and source["kind"] == "ads"
    assert source["path"] == "google ads.csv" and source["name"] == "google-ads"
    assert source["delimiter"] == ","
    text = (project / "params" / "acme.yaml").read_text()
    header = pd.read_csv(folder / "google ads.csv", skiprows=2, nrows=0).columns
    known = ["Day", "Campaign", "Campaign type", "Impr.", "Clicks", "Cost", "Currency code",
             "Conversions", "Conv. value"]
    assert f"{len(known)} of {len(header)} columns match the Google Ads" in text
    assert "2 title lines above the header" in text  # said, not set: the preset finds the header
    valid = nbreport(project, "validate", "acme", "--period", PERIOD)
    assert valid.returncode == 0, valid.stdout + valid.stderr


def test_semicolons_dates_and_cp1252_are_guessed_and_validate(project: Path) -> None:
    folder = project / "data" / "shop"
    folder.mkdir(parents=True)
    semicolon_export(folder / "herbst.csv")
    cp1252_orders(folder / "orders.csv")
    done = nbreport(project, "new-client", "shop", "--from", str(folder / "herbst.csv"),
                    str(folder / "orders.csv"))
    assert done.returncode == 0, done.stderr
    ads, orders = load(project, "shop")["sources"]
    # Google Ads' own column names, in a German user's date format: the preset, refined
    assert ads["delimiter"] == ";" and ads["kind"] == "ads" and ads["preset"] == "google_ads"
    assert ads["mapping"] == {"date_format": "%d.%m.%Y"}
    assert orders["encoding"] == "cp1252" and orders["kind"] == "orders"
    assert orders["mapping"]["rename"] == {"Order ID": "order_id", "Order Date": "date",
                                           "Revenue": "revenue", "Channel": "channel"}
    text = (project / "params" / "shop.yaml").read_text()
    assert "likely key columns (unique and never blank): Order ID" in text
    valid = nbreport(project, "validate", "shop", "--period", PERIOD)
    assert valid.returncode == 0, valid.stdout + valid.stderr


def test_a_file_outside_the_data_folder_is_not_copied_and_the_user_is_told(project: Path,
                                                                          tmp_path: Path) -> None:
    semicolon_export(tmp_path / "export.csv")
    done = nbreport(project, "new-client", "elsewhere", "--from", str(tmp_path / "export.csv"))
    assert done.returncode == 0, done.stderr
    assert "put export.csv in data/elsewhere/export.csv" in done.stdout
    assert not (project / "data").exists()
    assert load(project, "elsewhere")["sources"][0]["path"] == "export.csv"


def test_hit_level_traps_are_commented(project: Path, tmp_path: Path) -> None:
    """Mangled ids, micros, a brand column of a shared export, exact duplicate rows."""
    rows = ["Brand,session_id,Date,Campaign,Impressions,Clicks,cost_micros"]
    for n in range(40):
        brand = ("Acme", "Globex")[n % 2]
        rows.append(f"{brand},{1.23457 + n / 1e5:.5f}E+11,2026-09-{1 + n % 28:02d},C{n},{n * 10},{n},{n * 1_000_000}")
    rows.append(rows[-1])  # re-sent row
    (tmp_path / "hits.csv").write_text("\n".join(rows) + "\n")
    assert nbreport(project, "new-client", "hits", "--from", str(tmp_path / "hits.csv")).returncode == 0
    text = (project / "params" / "hits.yaml").read_text()
    source = load(project, "hits")["sources"][0]
    assert source["mapping"]["scale"] == {"spend": 0.000001}
    assert source["mapping"]["rename"]["cost_micros"] == "spend"
    assert "'session_id' looks mangled to scientific notation" in text
    assert "'Brand' holds 2 values (Acme, Globex)" in text and 'filter: {Brand: TODO}' in text
    assert "1 rows repeat an earlier row exactly" in text and "dedupe: all" in text


def test_ambiguous_dates_are_listed_not_chosen(tmp_path: Path, project: Path) -> None:
    rows = ["ID,Survey date,NPS"] + [f"{n},{1 + n % 12:02d}/{1 + n % 9:02d}/2026,{n % 11}" for n in range(50)]
    (tmp_path / "nps.csv").write_text("\n".join(rows) + "\n")
    assert nbreport(project, "new-client", "survey", "--from", str(tmp_path / "nps.csv")).returncode == 0
    source = load(project, "survey")["sources"][0]
    text = (project / "params" / "survey.yaml").read_text()
    assert source["kind"] == "survey" and source["mapping"]["constants"] == {"scale": "nps"}
    assert "date_format" not in source["mapping"]
    assert "'Survey date' fits 2 formats" in text
    assert '#   date_format: "%d/%m/%Y"' in text and '#   date_format: "%m/%d/%Y"' in text


def test_like_copies_the_other_clients_settings(project: Path) -> None:
    shutil.copy(REPO / "params" / "ledgerline.yaml", project / "params" / "ledgerline.yaml")
    done = nbreport(project, "new-client", "ledger-two", "--like", "ledgerline", "--name", "Ledger Two")
    assert done.returncode == 0, done.stderr
    other, mine = load(project, "ledgerline"), load(project, "ledger-two")
    assert mine["client"] == {**other["client"], "id": "ledger-two", "name": "Ledger Two"}
    for key in ("kpis", "budget", "sources", "overlaps"):
        assert mine[key] == other[key], key
    wrong = nbreport(project, "new-client", "x", "--like", "ledgerlin")
    assert wrong.returncode == 2 and "did you mean 'ledgerline'" in wrong.stderr


def test_like_with_from_takes_sources_from_the_files(project: Path) -> None:
    shutil.copy(REPO / "params" / "ledgerline.yaml", project / "params" / "ledgerline.yaml")
    folder = project / "data" / "ledger-ads"
    folder.mkdir(parents=True)
    google_ads_export(folder / "ads.csv")
    done = nbreport(project, "new-client", "ledger-ads", "--like", "ledgerline", "--from", str(folder / "ads.csv"))
    assert done.returncode == 0, done.stderr
    mine, other = load(project, "ledger-ads"), load(project, "ledgerline")
    assert [s["preset"] for s in mine["sources"]] == ["google_ads"]
    assert mine["budget"] == other["budget"] and mine["client"]["currency"] == other["client"]["currency"]
    assert "overlaps" not in mine  # ledgerline's named sources this client lacks
    assert "overlaps named sources this client does not have" in done.stdout


def test_suggest_reading_names_the_preset_delimiter_and_encoding(tmp_path: Path) -> None:
    text = "Day;Campaign;Impr.;Clicks;Cost\n2026-09-01;Été;10;1;2,5\n2026-09-02;Hiver;11;2;3,5\n"
    path = tmp_path / "ads.csv"
    path.write_bytes(text.encode("cp1252"))
    spec = SourceSpec(name="ads", kind="ads", path="ads.csv")
    with pytest.raises(DataError):
        read_raw(spec, path)  # read as utf-8 with a sniffed delimiter: the bytes are no UTF-8
    hint = suggest_reading(path)
    assert hint == ("the header matches the Google Ads (report downloaded from the Google Ads UI) "
                    "export read with delimiter ';' and encoding cp1252: set preset: google_ads, "
                    "delimiter: ';', encoding: cp1252")
    assert suggest_reading(tmp_path / "missing.csv") is None


def test_utf16_and_bom(tmp_path: Path) -> None:
    text = "Date\tSessions\tChannel\n2026-09-01\t5\tDirect\n2026-09-02\t6\tEmail\n"
    (tmp_path / "web.tsv").write_bytes(text.encode("utf-16"))
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf" + text.replace("\t", ",").encode())
    wide = sniff_layout(tmp_path / "web.tsv")
    assert wide.encoding.value == "utf-16" and wide.delimiter.value == "\t"
    assert wide.header == ("Date", "Sessions", "Channel")
    bom = sniff_layout(tmp_path / "bom.csv")
    assert bom.encoding.value == "utf-8" and "byte-order mark" in bom.encoding.evidence
    assert bom.header[0] == "Date"
    assert sniff_file(tmp_path / "web.tsv").kind == "web"


# --- the public real files ------------------------------------------------------------------
REAL_EXPECTED = {  # file -> (delimiter, BOM, date column, format) from MANIFEST.md
    "KAG_conversion_data.csv": (",", True, None, None),
    "ab_control_group.csv": (";", False, "Date", "%d.%m.%Y"),
    "ab_test_group.csv": (";", False, "Date", "%d.%m.%Y"),
    "bank_call_centre_5min.csv": (",", False, "DateTime", "%Y-%m-%d"),
    "nps_survey_responses_practice.csv": (",", False, "Survey date", "%d/%m/%Y"),
    "olist_order_reviews_sample.csv": (",", False, "review_creation_date", "%Y-%m-%d"),
    "prophet_example_retail_sales.csv": (",", False, "ds", "%Y-%m-%d"),
    "prophet_example_wp_log_peyton_manning.csv": (",", False, "ds", "%Y-%m-%d"),
    "telco_customer_churn.csv": (",", False, None, None),
}


@pytest.mark.parametrize("name", sorted(REAL_EXPECTED))
def test_real_files_sniff(real_data: Path, name: str) -> None:
    delimiter, bom, date_column, fmt = REAL_EXPECTED[name]
    path = real_data / name
    found = sniff_file(path)
    assert found.layout.delimiter.value == delimiter
    assert found.layout.encoding.value == "utf-8"
    assert ("byte-order mark" in found.layout.encoding.evidence) == bom
    assert list(found.header) == list(pd.read_csv(path, sep=delimiter, nrows=0, encoding="utf-8-sig").columns)
    dates = {d.column: d for d in found.dates}
    if date_column is None:
        assert not dates
    else:
        assert dates[date_column].formats == (fmt,)


def test_real_nps_dates_list_the_other_reading(real_data: Path) -> None:
    """`Survey date` is DD/MM/YYYY; MM/DD/YYYY reads only the rows whose day is 12 or less,
    and the guess says how many (counted here with pandas)."""
    found = sniff_file(real_data / "nps_survey_responses_practice.csv")
    [survey] = [d for d in found.dates if d.column == "Survey date"]
    days = pd.read_csv(real_data / "nps_survey_responses_practice.csv")["Survey date"].str.slice(0, 2).astype(int)
    assert survey.partial == (("%m/%d/%Y", int((days <= 12).sum()), len(days)),)


def test_new_client_from_every_real_file_writes_loadable_params(real_data: Path, project: Path) -> None:
    files = [str(path) for path in sorted(real_data.glob("*.csv"))]
    done = nbreport(project, "new-client", "real", "--from", *files)
    assert done.returncode == 0, done.stderr
    sources = load(project, "real")["sources"]
    assert [s["path"] for s in sources] == [Path(f).name for f in files]
    nps = next(s for s in sources if s["path"] == "nps_survey_responses_practice.csv")
    assert nps["mapping"]["date_format"] == "%d/%m/%Y" and nps["kind"] == "survey"


def test_a_reading_error_gets_the_hint(tmp_path: Path) -> None:
    from nbreport.sources.sniff import with_reading_hint

    path = tmp_path / "ads.csv"
    path.write_bytes("Day;Campaign;Impr.;Clicks;Cost\n2026-09-01;Été;10;1;2\n".encode("cp1252"))
    with pytest.raises(DataError) as caught:
        read_raw(SourceSpec(name="ads", kind="ads", path="ads.csv"), path)
    hinted = with_reading_hint(caught.value, path)
    assert str(hinted).startswith(str(caught.value)) and hinted.source == "ads"
    assert str(hinted).endswith("set preset: google_ads, delimiter: ';', encoding: cp1252")
    other = DataError("file not found", source="ads", path="ads.csv")
    assert with_reading_hint(other, path) is other


def test_olist_reviews_from_new_client_to_a_checked_kpi_without_editing(real_data: Path, project: Path) -> None:
    """A new user's trial: new-client --from the Olist reviews, the file put in place, and
    nothing edited: the scale (1-5 scores: CSAT) and the grain (a review covering two orders)
    are guessed, validate --data passes, and preview's CSAT for May 2018 is pandas' share of 4s
    and 5s among that month's reviews."""
    source = real_data / "olist_order_reviews_sample.csv"
    assert nbreport(project, "new-client", "olist", "--from", str(source)).returncode == 0
    written = load(project, "olist")
    [spec] = written["sources"]
    assert spec["mapping"]["constants"] == {"scale": "csat"} and spec["unique_key"] == ["order_id"]
    (project / "data" / "olist").mkdir(parents=True)
    shutil.copy(source, project / "data" / "olist" / source.name)
    checked = nbreport(project, "validate", "olist", "--period", "2018-05", "--data")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    shown = nbreport(project, "preview", "olist", "--period", "2018-05", "--rows", "0")
    reviews = pd.read_csv(source)
    may = reviews[reviews["review_creation_date"].str.startswith("2018-05")]
    csat = (may["review_score"] >= 4).mean()
    assert f"{csat:.1%}" in shown.stdout, shown.stdout[-800:]
