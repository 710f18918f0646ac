"""Cut the small real samples in tests/data/ from the full public data sets.

Usage: python tests/data/cut_samples.py ../shared/data

Keeps whole rows, unmodified, with their original headers (see NOTICE.md for sources and
licences). The selection favours what the tests need: Kenyan, Namibian (code NA), Greek (EL),
British (UK) and Kosovar (XK) organisations, CERN and CGIAR centres, an organisation without a
country, one without an activity type, an accented name, and a few projects that cooperate
with Kenya.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def cut_cordis(data: Path) -> None:
    src = data / "cordis_horizon_europe"
    org_header, orgs = _rows(src / "he_organization.csv")
    by_project: dict[str, list[dict[str, str]]] = {}
    for row in orgs:
        by_project.setdefault(row["projectID"], []).append(row)

    def small(pid: str) -> bool:
        return len(by_project[pid]) <= 25

    wanted: list[str] = []

    def take(predicate, limit: int) -> None:  # type: ignore[no-untyped-def]
        found = [pid for pid, rows in by_project.items()
                 if small(pid) and pid not in wanted and any(predicate(r) for r in rows)]
        wanted.extend(sorted(found)[:limit])

    take(lambda r: r["country"] == "KE", 8)
    take(lambda r: r["country"] == "NA", 2)
    take(lambda r: r["organisationID"] == "999988133", 2)  # CERN
    take(lambda r: r["organisationID"] in {"999420974", "998330791"}, 2)  # IITA, ILRI
    take(lambda r: r["country"] == "XK", 1)
    take(lambda r: r["country"] == "" or r["activityType"] == "", 2)
    take(lambda r: r["country"] in {"EL", "UK"}, 2)
    take(lambda r: r["country"] in {"ET", "UG", "TZ", "MZ", "SN"}, 3)
    take(lambda r: any(127 < ord(c) < 256 for c in r["name"]), 1)  # Latin-1 test
    keep = set(wanted)
    _write(HERE / "cordis" / "organization.csv", org_header,
           [r for r in orgs if r["projectID"] in keep])
    header, projects = _rows(src / "he_project.csv")
    _write(HERE / "cordis" / "project.csv", header,
           [r for r in projects if r["projectID"] in keep])
    header, fields = _rows(src / "he_euroscivoc.csv")
    _write(HERE / "cordis" / "euroSciVoc.csv", header,
           [r for r in fields if r["projectID"] in keep])


def cut_gcf(data: Path) -> None:
    src = data / "gcf"
    projects = json.loads((src / "v1-projects.json").read_text(encoding="utf-8"))
    kenya = [p for p in projects if any(c["ISO3"] == "KEN" for c in p["Countries"])][:3]
    multi = [p for p in projects if len(p["Countries"]) >= 5][:1]
    namibia = [p for p in projects if any(c["ISO3"] == "NAM" for c in p["Countries"])][:1]
    chosen = {p["ApprovedRef"] for p in [projects[0], *kenya, *multi, *namibia]}
    sample = [p for p in projects if p["ApprovedRef"] in chosen]
    (HERE / "gcf").mkdir(parents=True, exist_ok=True)
    (HERE / "gcf" / "v1-projects.json").write_text(
        json.dumps(sample, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for name in ("gcf_projects.csv", "gcf_project_countries.csv", "gcf_project_entities.csv",
                 "gcf_project_result_areas.csv"):
        header, rows = _rows(src / name)
        _write(HERE / "gcf" / "csv" / name, header,
               [r for r in rows if r["ApprovedRef"] in chosen])


def cut_openalex(data: Path) -> None:
    src = data / "openalex_country_coauthorship"
    codes = {"KE", "NA", "US", "GB", "ZA", "DE", "CN", "ET", "UG", "TZ", "XK", "RS"}
    years = {"2021", "2022", "2023"}
    header, rows = _rows(src / "openalex_country_coauthorship_edges_1990_2023.csv")
    _write(HERE / "openalex" / "openalex_country_coauthorship_edges_sample.csv", header,
           [r for r in rows if r["year"] in years and r["iso2_a"] in codes
            and r["iso2_b"] in codes])
    header, rows = _rows(src / "openalex_country_year_totals_1990_2023.csv")
    _write(HERE / "openalex" / "openalex_country_year_totals_sample.csv", header,
           [r for r in rows if r["year"] in years and r["iso2"] in codes])


def cut_openalex_history(data: Path) -> None:
    """Every year 1990–2023 among 12 East African countries: pairs appear over time, for the
    country time split."""
    src = data / "openalex_country_coauthorship"
    codes = {"KE", "UG", "TZ", "RW", "ET", "BI", "SS", "SO", "DJ", "ER", "MW", "ZM"}
    header, rows = _rows(src / "openalex_country_coauthorship_edges_1990_2023.csv")
    _write(HERE / "openalex-history" / "openalex_east_africa_edges_1990_2023.csv", header,
           [r for r in rows if r["iso2_a"] in codes and r["iso2_b"] in codes])


def cut_cow_igo(data: Path) -> None:
    """Seven IGOs and the spells the tests need: CERN (Spain's continuous spell, a known
    error), the UN (both Germanies from 1965: one corrected, the GDR without an ISO code),
    the IAEA and OPEC (memberships COW misses), JINR (the 1964/65 seam), ASEAN (enlargements)
    and the EEC (dissolved 1992)."""
    src = data / "cow_igo"
    codes = {"1720", "4400", "2370", "3840", "3350", "750", "1653"}
    states = {"2", "200", "220", "230", "255", "260", "265", "310", "345", "365", "540",
              "690", "710", "731", "740", "800", "820", "835", "840", "850"}
    header, rows = _rows(src / "igos.csv")
    _write(HERE / "cow_igo" / "igos.csv", header, [r for r in rows if r["igo_code"] in codes])
    header, rows = _rows(src / "igo_membership_spells.csv")
    _write(HERE / "cow_igo" / "igo_membership_spells.csv", header,
           [r for r in rows if r["igo_code"] in codes and r["cow_ccode"] in states])


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
    cut_cordis(root)
    cut_gcf(root)
    cut_openalex(root)
    cut_openalex_history(root)
    cut_cow_igo(root)
