"""Generate the country seeds and the GCF memberships from the shared public data sets.

Usage::

    python tools/make_country_seeds.py [DATA_DIR] [--out SEEDS_DIR]

DATA_DIR defaults to ``../shared/data`` relative to the repository root; SEEDS_DIR defaults to
``seeds/`` in the repository. The script writes, with rows sorted so that a re-run gives no diff:

- ``countries.csv``       every UN M49 country or area that has an ISO 3166-1 alpha-2 code
- ``country-groups.csv``  LDC / LLDC / SIDS (M49, 2024) and developed / developing (M49, 2020)
- ``countries.csv`` also lists the few areas that are not in M49 but appear in the data
  (Kosovo, ``XK``), flagged ``in_m49`` = ``no``
- ``income-groups.csv``   World Bank income group per economy and fiscal year, FY1989-FY2026, as
  the World Bank's historical file (OGHIST.xlsx) assigns it: ``..`` and blank cells (economy
  not classified that year) give no row; FY2026 is checked against the FY2026 CLASS list, whose
  blanks ("temporarily unclassified") also give no row
- ``memberships-gcf.csv`` one row per (country, GCF funded project), role ``beneficiary``
- ``memberships-horizon-2020.csv`` the countries associated to Horizon 2020, one row per
  association period, with the source, signature date (``decided``) and inferred fields the
  data set gives

Only the standard library is used. Origins and licences are in ``seeds/NOTICE.md``.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data"
DEFAULT_OUT_DIR = REPO_ROOT / "seeds"

# Where each data set comes from (cited in the `source` cells; URLs only).
M49_URL = "https://unstats.un.org/unsd/methodology/m49/overview/"
M49_2020_URL = (
    "https://github.com/datasets/country-codes/blob/"
    "4b783b025f20754680389f7604a86f51d9de30c9/data/country-codes.csv"
)
WB_INCOME_URL = "https://databank.worldbank.org/data/download/site-content/OGHIST.xlsx"

M49_2024_FILE = Path("countries_m49/unsd_m49_overview_en_2024.csv")
M49_2020_FILE = Path("countries_m49/country-codes_2020-10_with_developed_developing.csv")
WB_HISTORY_FILE = Path("worldbank_income/OGHIST.xlsx")
WB_HISTORY_SHEET = "Country Analytical History"
WB_CLASS_2026_FILE = Path("worldbank_income/wb_class_FY2026_list_of_economies.csv")
GCF_PROJECTS_FILE = Path("gcf/gcf_projects.csv")
GCF_COUNTRIES_FILE = Path("gcf/gcf_project_countries.csv")
H2020_FILE = Path("h2020_associated/h2020_associated.csv")

#: Countries the GCF Board added to a funded project after its approval: (project, ISO3) ->
#: (date of the Board decision at the precision read, decision code, decision page or "").
#: Their membership starts with that decision, not with the project's approval; where the
#: decision's date was not read, the start is left empty (never the approval date).
GCF_BOARD_ADDITIONS: dict[tuple[str, str], tuple[str, str, str]] = {
    ("FP099", "IND"): ("2022-11-14", "B.34/16", "https://www.greenclimate.fund/decision/b34-16"),
    **{("FP099", iso3): ("2020-11", "B.27 (GCF/B.27/07)",
                         "https://www.greenclimate.fund/boardroom/decisions?page=5")
       for iso3 in ("ECU", "ETH", "MUS", "PHL", "SEN", "TUN", "ZMB")},
    **{("FP128", iso3): ("2021", "GCF/BM-2021/22 (between meetings)",
                         "https://www.greenclimate.fund/boardroom/decisions?page=4")
       for iso3 in ("COL", "GTM")},
    **{("FP198", iso3): ("", "B.35/08", "https://www.greenclimate.fund/decision/b35-08")
       for iso3 in ("COL", "SLV", "PER")},
}

M49_FLAG_GROUPS = {
    "Least Developed Countries (LDC)": "ldc",
    "Land Locked Developing Countries (LLDC)": "lldc",
    "Small Island Developing States (SIDS)": "sids",
}
DEVELOPED_COLUMN = "Developed / Developing Countries"
WB_INCOME_CODES = {
    "Low income": "L",
    "Lower middle income": "LM",
    "Upper middle income": "UM",
    "High income": "H",
}
#: The codes OGHIST.xlsx uses in its cells; anything else (``..``, blank, Yemen's ``LM*`` for
#: FY89-FY90, a combination of two states that were separate then) is not an assignment.
WB_HISTORY_CODES = frozenset(WB_INCOME_CODES.values())

#: Areas that are not in UN M49 but appear in the data sets (CORDIS, the Horizon Europe list of
#: associated countries, the World Bank's classification). ``XK`` is the code the European
#: Commission and the World Bank use for Kosovo (user-assigned in ISO 3166-1, not an M49 area).
NON_M49_AREAS = [
    {
        "iso2": "XK",
        "iso3": "XKX",
        "name": "Kosovo",
        "source": "https://datahelpdesk.worldbank.org/knowledgebase/articles/"
                  "906519-world-bank-country-and-lending-groups",
    },
]

COUNTRY_HEADER = [
    "iso2", "iso3", "m49", "name", "region", "region_m49", "subregion", "subregion_m49", "in_m49",
    "source",
]  # fmt: skip
GROUP_HEADER = ["iso2", "group", "source"]
INCOME_HEADER = ["iso2", "fiscal_year", "income_group", "source"]
MEMBERSHIP_HEADER = [
    "member", "organisation", "role", "start", "end", "amount", "currency", "source", "note",
]  # fmt: skip
H2020_HEADER = ["member", "organisation", "role", "start", "end", "decided", "source", "note"]

Row = list[str]


def read_csv(path: Path) -> list[dict[str, str]]:
    """Read a CSV file as strings only (so Namibia's ``NA`` stays ``NA``), BOM tolerated."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Row]) -> int:
    """Write ``rows`` under ``header`` with RFC 4180 quoting and ``\\n`` line ends."""
    body = list(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(body)
    return len(body)


def country_rows(m49: list[dict[str, str]]) -> list[Row]:
    """One row per M49 country or area with an ISO alpha-2 code (rows without one are skipped)."""
    rows = [
        [
            r["ISO-alpha2 Code"],
            r["ISO-alpha3 Code"],
            r["M49 Code"],
            r["Country or Area"],
            r["Region Name"],
            r["Region Code"],
            r["Sub-region Name"],
            r["Sub-region Code"],
            "",
            M49_URL,
        ]
        for r in m49
        if r["ISO-alpha2 Code"]
    ]
    codes = {row[0] for row in rows}
    for area in NON_M49_AREAS:
        if area["iso2"] in codes:
            raise SystemExit(f"{area['iso2']} is now in M49: remove it from NON_M49_AREAS")
        rows.append([area["iso2"], area["iso3"], "", area["name"], "", "", "", "", "no",
                     area["source"]])
    return sorted(rows)


def group_rows(m49: list[dict[str, str]], m49_2020: list[dict[str, str]]) -> list[Row]:
    """LDC / LLDC / SIDS flags of 2024 and the developed / developing split of the 2020 copy."""
    known = {r["ISO-alpha2 Code"] for r in m49 if r["ISO-alpha2 Code"]}
    rows: list[Row] = []
    for r in m49:
        iso2 = r["ISO-alpha2 Code"]
        if not iso2:
            continue
        for column, group in M49_FLAG_GROUPS.items():
            if r[column].lower() == "x":
                rows.append([iso2, group, M49_URL])
    for r in m49_2020:
        iso2 = r["ISO3166-1-Alpha-2"]
        status = r[DEVELOPED_COLUMN].lower()
        if iso2 in known and status in ("developed", "developing"):
            rows.append([iso2, status, M49_2020_URL])
    return sorted(rows)


_XLSX = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_XLSX_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def read_xlsx_sheet(path: Path, sheet: str) -> dict[int, dict[str, str]]:
    """Cells of one sheet of an .xlsx file as ``{row number: {column letters: text}}``.

    Only what this script needs: shared strings, inline strings and plain values (no formulas
    are evaluated; their cached values are read).
    """
    with zipfile.ZipFile(path) as book:
        workbook = ET.fromstring(book.read("xl/workbook.xml"))
        rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
        ids = [s.get(_XLSX_REL) for s in workbook.iter(f"{_XLSX}sheet") if s.get("name") == sheet]
        if not ids:
            raise SystemExit(f"{path}: no sheet named {sheet!r}")
        target = next(r.get("Target", "") for r in rels if r.get("Id") == ids[0])
        target = target.lstrip("/").removeprefix("xl/")
        strings = [
            "".join(t.text or "" for t in item.iter(f"{_XLSX}t"))
            for item in ET.fromstring(book.read("xl/sharedStrings.xml"))
        ]
        root = ET.fromstring(book.read(f"xl/{target}"))
    cells: dict[int, dict[str, str]] = {}
    for row in root.iter(f"{_XLSX}row"):
        values: dict[str, str] = {}
        for cell in row.findall(f"{_XLSX}c"):
            match = re.match(r"[A-Z]+", cell.get("r", ""))
            if match is None:
                continue
            kind, value = cell.get("t"), cell.find(f"{_XLSX}v")
            if kind == "s" and value is not None and value.text is not None:
                text = strings[int(value.text)]
            elif kind == "inlineStr":
                text = "".join(t.text or "" for t in cell.iter(f"{_XLSX}t"))
            else:
                text = value.text or "" if value is not None else ""
            values[match.group()] = text.strip()
        cells[int(row.get("r", "0"))] = values
    return cells


def income_history(cells: dict[int, dict[str, str]]) -> dict[tuple[str, int], str]:
    """``(World Bank code, fiscal year) -> L/LM/UM/H`` as OGHIST's analytical history assigns.

    The header row is the one whose column B reads "Bank's fiscal year:" (FY89, FY90, ...);
    economy rows have their World Bank code in column A. Cells that are not one of the four
    codes (``..``, blank, ``LM*``) mean the economy was not classified that year.
    """
    header = next((r for r, row in cells.items()
                   if row.get("B", "").lower().startswith("bank's fiscal year")), None)
    if header is None:
        raise SystemExit("OGHIST.xlsx: no \"Bank's fiscal year:\" header row")
    years: dict[str, int] = {}
    for column, text in cells[header].items():
        match = re.fullmatch(r"FY(\d{2})", text)
        if match:
            two = int(match.group(1))
            years[column] = (1900 if two >= 50 else 2000) + two
    assigned: dict[tuple[str, int], str] = {}
    for number in sorted(cells):
        row = cells[number]
        code = row.get("A", "")
        if number <= header or not re.fullmatch(r"[A-Z]{3}", code):
            continue
        for column, year in years.items():
            group = row.get(column, "")
            if group in WB_HISTORY_CODES:
                assigned[(code, year)] = group
    return assigned


def unclassified_fy2026(class_list: list[dict[str, str]],
                        history: dict[tuple[str, int], str]) -> set[str]:
    """Economies the FY2026 CLASS list leaves without a group although OGHIST gives one.

    Any other disagreement between the two World Bank files stops the script.
    """
    dropped: set[str] = set()
    for r in class_list:
        if not r["Region"]:  # aggregates (World, regions, income groups) have no region
            continue
        code, listed = r["Code"], WB_INCOME_CODES.get(r["Income group"], "")
        historical = history.get((code, 2026), "")
        if listed == historical:
            continue
        if not listed:
            dropped.add(code)
            continue
        raise SystemExit(f"World Bank files disagree on {code} FY2026: OGHIST {historical!r}, "
                         f"CLASS list {listed!r}")
    return dropped


def income_rows(history: dict[tuple[str, int], str], unclassified_2026: set[str],
                iso3_to_iso2: dict[str, str]) -> list[Row]:
    """World Bank income group in force per fiscal year; economies without an ISO2 code here
    (Channel Islands ``CHI``, former states) are skipped."""
    rows: list[Row] = []
    for (code, year), group in history.items():
        iso2 = iso3_to_iso2.get(code)
        if iso2 is None or (year == 2026 and code in unclassified_2026):
            continue
        rows.append([iso2, str(year), group, WB_INCOME_URL])
    return sorted(rows, key=lambda row: (row[0], int(row[1])))


def _project_number(ref: str) -> tuple[str, int]:
    """Sort key for GCF references such as ``FP001`` or ``SAP012``."""
    match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    return (match.group(1), int(match.group(2))) if match else (ref, 0)


def gcf_rows(
    projects: list[dict[str, str]],
    project_countries: list[dict[str, str]],
    iso3_to_iso2: dict[str, str],
) -> list[Row]:
    """One ``beneficiary`` row per (country, GCF funded project).

    ``start`` is the Board approval date (day precision in the data); ``amount`` is the GCF
    financing the data attributes to that country; ``end`` is set only for a cancelled project
    (the cancellation date).
    """
    by_ref = {p["ApprovedRef"]: p for p in projects}
    rows: list[Row] = []
    for pc in project_countries:
        ref = pc["ApprovedRef"]
        project = by_ref[ref]
        iso2 = iso3_to_iso2.get(pc["ISO3"])
        if iso2 is None:
            raise SystemExit(f"GCF project {ref}: ISO3 {pc['ISO3']!r} is not in M49")
        end = project["DateCancelled"][:10] if project["Status"] == "Cancelled" else ""
        title = " ".join(project["ProjectName"].split())
        note = f"{ref}: {title}" + (" (cancelled)" if end else "")
        start, source = project["ApprovalDate"][:10], project["ProjectURL"]
        added = GCF_BOARD_ADDITIONS.get((ref, pc["ISO3"]))
        if added is not None:
            start, code, page = added
            source = f"{source};{page}"
            when = f" of {start}" if start else " (its date was not read)"
            note += (f"; country added to the project by Board decision {code}{when}, after the "
                     f"project's approval on {project['ApprovalDate'][:10]}")
        rows.append(
            [
                iso2,
                "gcf",
                "beneficiary",
                start,
                end,
                pc["GCF_USD"],
                "USD" if pc["GCF_USD"] else "",
                source,
                note,
            ]
        )
    return sorted(rows, key=lambda row: (row[0], *_project_number(row[8].split(":")[0])))


def _urls(*cells: str) -> list[str]:
    """The URLs of ``source_url`` / ``other_source_urls`` cells (`` ; ``-separated, each URL
    possibly followed by a description in parentheses), in order, without repeats."""
    urls: list[str] = []
    for cell in cells:
        for item in cell.split(" ; "):
            url = item.strip().split(" ", 1)[0]
            if url.startswith(("https://", "http://")) and url not in urls:
                urls.append(url)
    return urls


def h2020_rows(associated: list[dict[str, str]], known: set[str]) -> list[Row]:
    """One ``associate-member`` row of ``horizon-2020`` per association period.

    ``start`` and ``end`` are the data set's dates at their precision; ``decided`` is the
    signature date of the agreement where the data gives one; the note says which fields the
    data set inferred (e.g. the end as the programme's end) and the legal instrument.
    """
    rows: list[Row] = []
    for r in associated:
        iso2 = r["iso2"]
        if iso2 not in known:
            raise SystemExit(f"Horizon 2020 association of {r['country']}: {iso2!r} unknown")
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", r["start_date"]):
            raise SystemExit(f"Horizon 2020 association of {iso2}: start {r['start_date']!r}")
        urls = _urls(r["source_url"], r["other_source_urls"])
        if not urls:
            raise SystemExit(f"Horizon 2020 association of {iso2}: no source URL")
        note = [r["status"], r["legal_instrument"]]
        if r["inferred_fields"]:
            note.append(f"inferred by the data set: {r['inferred_fields']}")
        rows.append([iso2, "horizon-2020", "associate-member", r["start_date"],
                     r["end_date"], r["signature_date"], ";".join(urls),
                     "; ".join(" ".join(part.split()) for part in note if part)])
    return sorted(rows, key=lambda row: (row[0], row[3]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("data_dir", nargs="?", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR, help="seeds folder")
    args = parser.parse_args(argv)
    data: Path = args.data_dir
    out: Path = args.out

    m49 = read_csv(data / M49_2024_FILE)
    iso3_to_iso2 = {r["ISO-alpha3 Code"]: r["ISO-alpha2 Code"] for r in m49 if r["ISO-alpha2 Code"]}
    iso3_to_iso2.update({area["iso3"]: area["iso2"] for area in NON_M49_AREAS})
    history = income_history(read_xlsx_sheet(data / WB_HISTORY_FILE, WB_HISTORY_SHEET))
    unclassified = unclassified_fy2026(read_csv(data / WB_CLASS_2026_FILE), history)

    counts = {
        "countries.csv": write_csv(out / "countries.csv", COUNTRY_HEADER, country_rows(m49)),
        "country-groups.csv": write_csv(
            out / "country-groups.csv",
            GROUP_HEADER,
            group_rows(m49, read_csv(data / M49_2020_FILE)),
        ),
        "income-groups.csv": write_csv(
            out / "income-groups.csv",
            INCOME_HEADER,
            income_rows(history, unclassified, iso3_to_iso2),
        ),
        "memberships-gcf.csv": write_csv(
            out / "memberships-gcf.csv",
            MEMBERSHIP_HEADER,
            gcf_rows(
                read_csv(data / GCF_PROJECTS_FILE),
                read_csv(data / GCF_COUNTRIES_FILE),
                iso3_to_iso2,
            ),
        ),
    }
    counts["memberships-horizon-2020.csv"] = write_csv(
        out / "memberships-horizon-2020.csv",
        H2020_HEADER,
        h2020_rows(read_csv(data / H2020_FILE), {row[0] for row in country_rows(m49)}),
    )
    for name, count in counts.items():
        sys.stderr.write(f"{name}: {count} rows\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
