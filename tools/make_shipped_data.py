"""Regenerate the real data shipped with stigraph (``data/``) from the public source files.

Usage::

    python tools/make_shipped_data.py [--data DATA_DIR] [--out OUT_DIR]

DATA_DIR is the folder of the public data sets (default ``../shared/data`` next to the
repository); OUT_DIR defaults to ``data/`` in the repository (shipped in the wheel as
``stigraph/_data/data``). Four extracts, each a folder the project's importer reads as it is:

- ``cordis_horizon_europe/`` every Horizon Europe participation, project and EuroSciVoc field
  link, with only the columns the CORDIS importer uses (``stigraph import cordis``);
- ``openalex_country_coauthorship/`` country × country co-authored works per year and the
  yearly totals (``stigraph import openalex``);
- ``gcf/`` the Green Climate Fund's funded projects, their countries, accredited entities and
  result areas, as flattened from the GCF API (``stigraph import gcf``);
- ``cow_igo/`` the Correlates of War IGO v3.0 IGOs and membership spells
  (``stigraph import cow-igo``).

Rows are kept whole and in the source's order (only columns are dropped), as UTF-8 CSV
compressed with gzip (level 9, no timestamp or file name in the header), so a re-run on the
same sources gives the same bytes. ``data/NOTICE.md`` (licences and attribution) and
``data/MANIFEST.csv`` (rows, bytes and SHA-256 of every file, and of the source it came from)
are written too. Only the standard library is used. Nothing is written unless every source
file is found and has the columns expected; OUT_DIR is replaced as a whole, and only once
every file is made (a folder this script did not make is refused).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data"
DEFAULT_OUT_DIR = REPO_ROOT / "data"
LIMIT_BYTES = 40 * 1024 * 1024


@dataclass(frozen=True)
class Extract:
    """One shipped file: where it comes from and which columns it keeps (``()``: all)."""

    folder: str
    source: str
    target: str
    columns: tuple[str, ...] = ()


EXTRACTS: tuple[Extract, ...] = (
    Extract("cordis_horizon_europe", "he_project.csv", "he_project.csv.gz", (
        "projectID", "acronym", "title", "startDate", "endDate", "ecMaxContribution",
        "frameworkProgramme", "legalBasis", "legalBasisTitle", "fundingScheme")),
    Extract("cordis_horizon_europe", "he_organization.csv", "he_organization.csv.gz", (
        "projectID", "organisationID", "name", "shortName", "activityType", "country", "order",
        "role", "ecContribution")),
    Extract("cordis_horizon_europe", "he_euroscivoc.csv", "he_euroscivoc.csv.gz", (
        "projectID", "euroSciVocCode", "euroSciVocPath", "euroSciVocTitle")),
    Extract("openalex_country_coauthorship", "openalex_country_coauthorship_edges_1990_2023.csv",
            "openalex_country_coauthorship_edges_1990_2023.csv.gz"),
    Extract("openalex_country_coauthorship", "openalex_country_year_totals_1990_2023.csv",
            "openalex_country_year_totals_1990_2023.csv.gz"),
    Extract("gcf", "gcf_projects.csv", "gcf_projects.csv.gz", (
        "ApprovedRef", "ProjectName", "Status", "ApprovalDate", "StartDate", "EndDate", "Theme",
        "Sector", "Size", "TotalGCFFunding", "TotalCoFinancing", "TotalValue", "ProjectURL")),
    Extract("gcf", "gcf_project_countries.csv", "gcf_project_countries.csv.gz"),
    Extract("gcf", "gcf_project_entities.csv", "gcf_project_entities.csv.gz"),
    Extract("gcf", "gcf_project_result_areas.csv", "gcf_project_result_areas.csv.gz"),
    Extract("cow_igo", "igos.csv", "igos.csv.gz", (
        "igo_code", "igo_short_name", "igo_name", "igo_long_name", "founding_year",
        "dissolution_year", "first_year_in_data", "last_year_in_data", "dead_flag",
        "integrated_flag", "replaced_flag", "political", "social", "economic",
        "accuracy_pre1965_membership_dates")),
    Extract("cow_igo", "igo_membership_spells.csv", "igo_membership_spells.csv.gz"),
)

NOTICE = """\
# Shipped real data: sources and licences

Compact extracts of public data sets, made by `tools/make_shipped_data.py` from the source
files (see each data set's SOURCE.txt in the shared data folder for the exact upstream
commit). Rows are unmodified and in the source's order; only columns the importers do not use
are dropped. Every file is gzip-compressed CSV that the importer named below reads as it is.
`MANIFEST.csv` gives each file's rows, size and SHA-256, and the SHA-256 of its source file.

## `cordis_horizon_europe/` (read by `stigraph import cordis`)

Horizon Europe 2021–2027: {cordis_projects:,} projects (dates, EU contribution, programme
part, funding scheme), {cordis_participations:,} participations of organisations (role, EU
contribution, country) and {cordis_fields:,} project–EuroSciVoc field links. CORDIS "HORIZON
projects" open dataset,
https://data.europa.eu/data/datasets/cordis-eu-research-projects-under-horizon-europe-2021-2027
(via the nightly XML mirror github.com/x3ro/cordis-horizon-projects-xml, flattened to CORDIS
CSV columns). Licence: CC BY 4.0 (Commission Decision C(2019)1655).
**Source: CORDIS, European Commission.**

## `openalex_country_coauthorship/` (read by `stigraph import openalex`)

Country × country co-authored works per year, 1990–2023 ({openalex_pairs:,} rows), and yearly
totals per country ({openalex_totals:,} rows), aggregated from OpenAlex by V. Batagelj,
github.com/bavla/OpenAlex (Countries/27aug24). Licence: OpenAlex data are CC0; cite Batagelj
(bavla/OpenAlex).

## `gcf/` (read by `stigraph import gcf`)

Green Climate Fund: {gcf_projects:,} funded projects, {gcf_countries:,} project × country rows
with GCF amounts, the accredited entity of each project, result areas; flattened from the GCF
public API `/v1/projects` as fetched by UN-OCHA HDX (github.com/OCHA-DAP/hdx-scraper-gcf).
Licence: CC BY (HDX); Green Climate Fund open data.

## `cow_igo/` (read by `stigraph import cow-igo`)

Correlates of War Intergovernmental Organizations data v3.0: {cow_igos:,} IGOs (founding and
dissolution years, type) and {cow_spells:,} membership spells of states (full / associate /
observer), 1815–2014, with ISO codes; redistributed in the R package igoR
(github.com/dieghernan/igoR, GPL-3), ISO codes from the R package countrycode (GPL-3).
Licence: none stated ("Copyright © 2000-2021 by the Correlates of War"). COW asks users to
cite the version and its documentation:

- Pevehouse, J.C.W., Nordstrom, T., McManus, R.W. & Jamison, A.S. (2020). Tracking
  organizations in the world: The Correlates of War IGO Version 3.0 datasets. *Journal of
  Peace Research* 57(3): 492–503. doi:10.1177/0022343319881175
- Wallace, M. & Singer, J.D. (1970). Intergovernmental Organization in the Global System,
  1815–1964. *International Organization* 24: 239–87.

The source's known errors are listed, and corrected citing the official pages, by the
importer (`stigraph/importers/cow_igo.py`, `KNOWN_ERRORS`).

Total size: {total_bytes:,} bytes (limit 40 MiB).
"""


def _read(path: Path, columns: Sequence[str]) -> tuple[list[str], list[list[str]]]:
    if not path.is_file():
        raise SystemExit(f"make_shipped_data: {path} is missing; give the shared data folder "
                         "with --data")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        missing = [c for c in columns if c not in header]
        if missing:
            raise SystemExit(f"make_shipped_data: {path}: missing column(s) "
                             f"{', '.join(missing)}; found {', '.join(header[:12])}")
        keep = [header.index(c) for c in columns] if columns else list(range(len(header)))
        rows = []
        for number, row in enumerate(reader, start=2):
            if len(row) != len(header):
                raise SystemExit(f"make_shipped_data: {path}:{number}: {len(row)} fields, "
                                 f"the header has {len(header)}")
            rows.append([row[i] for i in keep])
    return [header[i] for i in keep], rows


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _gzip(data: bytes) -> bytes:
    """gzip with a fixed header (no name, mtime 0): the same input gives the same bytes."""
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=out, mtime=0) as gz:
        gz.write(data)
    return out.getvalue()


def make(data_dir: Path, out_dir: Path) -> dict[str, int]:
    """Write every extract, NOTICE.md and MANIFEST.csv into ``out_dir``; returns the counts."""
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / "MANIFEST.csv").is_file():
        raise SystemExit(f"make_shipped_data: {out_dir} holds files this script did not make "
                         "(no MANIFEST.csv); give an empty or new folder with --out")
    counts: dict[str, int] = {}
    made: dict[str, bytes] = {}
    manifest: list[list[str]] = []
    for extract in EXTRACTS:
        source = data_dir / extract.folder / extract.source
        header, rows = _read(source, extract.columns)
        payload = _gzip(_csv_bytes(header, rows))
        name = f"{extract.folder}/{extract.target}"
        made[name] = payload
        counts[name] = len(rows)
        manifest.append([name, str(len(rows)), str(len(payload)),
                         hashlib.sha256(payload).hexdigest(),
                         f"{extract.folder}/{extract.source}",
                         hashlib.sha256(source.read_bytes()).hexdigest()])
    total = sum(len(p) for p in made.values())
    if total > LIMIT_BYTES:
        raise SystemExit(f"make_shipped_data: the extracts take {total:,} bytes, over the "
                         f"{LIMIT_BYTES:,}-byte limit")
    figures = {
        "cordis_projects": counts["cordis_horizon_europe/he_project.csv.gz"],
        "cordis_participations": counts["cordis_horizon_europe/he_organization.csv.gz"],
        "cordis_fields": counts["cordis_horizon_europe/he_euroscivoc.csv.gz"],
        "openalex_pairs": counts[
            "openalex_country_coauthorship/openalex_country_coauthorship_edges_1990_2023.csv.gz"],
        "openalex_totals": counts[
            "openalex_country_coauthorship/openalex_country_year_totals_1990_2023.csv.gz"],
        "gcf_projects": counts["gcf/gcf_projects.csv.gz"],
        "gcf_countries": counts["gcf/gcf_project_countries.csv.gz"],
        "cow_igos": counts["cow_igo/igos.csv.gz"],
        "cow_spells": counts["cow_igo/igo_membership_spells.csv.gz"],
        "total_bytes": total,
    }
    manifest_bytes = _csv_bytes(
        ["file", "rows", "bytes", "sha256", "source_file", "source_sha256"], manifest)
    # Write everything into a fresh folder next to the target, then swap it in.
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".shipped-", dir=out_dir.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the data folder is for everyone to read
    try:
        for name, payload in made.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(payload)
        (staging / "NOTICE.md").write_text(NOTICE.format(**figures), encoding="utf-8")
        (staging / "MANIFEST.csv").write_bytes(manifest_bytes)
        if out_dir.exists():
            old = out_dir.with_name(out_dir.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            out_dir.rename(old)
            staging.rename(out_dir)
            shutil.rmtree(old)
        else:
            staging.rename(out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    counts["total_bytes"] = total
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR,
                        help="folder of the public data sets (default: ../shared/data)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR,
                        help="folder to write (default: data/ in the repository)")
    args = parser.parse_args(argv)
    counts = make(args.data, args.out)
    for name, value in counts.items():
        print(f"{name}\t{value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
