"""COW IGO importer: a hand-checked real sample, broken input, and the full data set.

The sample (tests/data/cow_igo, cut by cut_samples.py) holds seven IGOs and 74 spells of 20
states. The expected figures below were counted by hand from the sample's rows.
"""

from __future__ import annotations

import csv
import gzip
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from stigraph.build.builder import build_graph
from stigraph.cli import main
from stigraph.errors import DataImportError
from stigraph.importers import import_cow_igo
from stigraph.importers.cow_igo import KNOWN_ERRORS
from stigraph.queries.sparql import run_sparql

DATA = Path(__file__).resolve().parent / "data" / "cow_igo"
PREFIX = ("PREFIX stig: <https://w3id.org/stigraph/ontology/>\n"
          "PREFIX dct: <http://purl.org/dc/terms/>\n"
          "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
          "PREFIX role: <https://w3id.org/stigraph/id/role/>\n"
          "PREFIX actor: <https://w3id.org/stigraph/id/actor/>\n")


def _graph(path: Path) -> Graph:
    return Graph().parse(path, format="nt")


def _members(graph: Graph, org: str, year: int, role: str = "member") -> set[str]:
    """ISO codes of the countries with a membership of ``org`` (role) valid in ``year``."""
    rows = graph.query(PREFIX + f"""
        SELECT DISTINCT ?c WHERE {{
          ?m stig:organisation actor:{org} ; stig:member ?c ; stig:role role:{role} ;
             stig:startDate ?s .
          OPTIONAL {{ ?m stig:endDate ?e }}
          FILTER(STR(?s) <= "{year}" && (!BOUND(?e) || STR(?e) >= "{year}"))
        }}""")
    return {str(r[0]).rsplit("/", 1)[-1] for r in rows}


def test_sample_by_hand(tmp_path: Path) -> None:
    result = import_cow_igo(DATA, tmp_path / "c.nt", rejects=tmp_path / "r.csv")
    counts = result.stats.counts
    # 74 spells: 9 of states without an ISO code (Yugoslavia 5, GDR 4) rejected, 65 kept
    assert counts["spells_read"] == 74
    assert result.rejects.counts["historical-state"] == 9
    assert result.rejects.rejected == 9
    assert counts["spells_kept"] == 65 == counts["spells_read"] - result.rejects.rejected
    # CERN, UN, IAEA, ASEAN are seed actors; JINR, OPEC and the EEC are new
    assert {m["source_id"]: m["seed_actor"] for m in result.matches} == {
        "cow-1720": "cern", "cow-4400": "united-nations", "cow-2370": "iaea",
        "cow-750": "asean"}
    assert counts["igos"] == 3 and counts["matched_igos"] == 4
    # 65 kept spells, Spain's CERN spell written as two, North Korea (IAEA) and Angola (OPEC)
    # added: 68 memberships
    assert counts["memberships_observer"] == 3  # CERN: US 1997, RU 1993, JP 1995
    assert counts["memberships_associate_member"] == 2  # JINR: DE 2013, HU 2013
    assert counts["memberships_member"] == 68 - 5
    graph = _graph(tmp_path / "c.nt")
    # IAEA full members in 1980: US GB FR ES DE(FRG) HU RU KW CN JP TH MY PH ID + KP (added)
    assert _members(graph, "iaea", 1980) == {"US", "GB", "FR", "ES", "DE", "HU", "RU", "KW",
                                             "CN", "JP", "TH", "MY", "PH", "ID", "KP"}
    # UN in 1970: no China (1949-70 is Taiwan's seat), no FRG (corrected to 1973)
    assert _members(graph, "united-nations", 1970) == {"US", "GB", "FR", "ES", "HU", "RU",
                                                       "KW", "JP", "TH", "MY", "PH", "ID"}
    assert "DE" in _members(graph, "united-nations", 1973)
    assert "ES" not in _members(graph, "cern", 1975)
    assert "ES" in _members(graph, "cern", 1969) and "ES" in _members(graph, "cern", 1983)
    assert _members(graph, "cern", 2000, "observer") == {"US", "RU", "JP"}
    assert _members(graph, "cow-3840", 2010) == {"KW", "AO"}  # Indonesia left in 2008
    # the EEC: founded 1958, dissolved 1992, at year precision
    eec = graph.query(PREFIX + "SELECT ?f ?e WHERE { actor:cow-1653 a "
                      "stig:IntergovernmentalOrganisation ; stig:foundingDate ?f ; "
                      "stig:endDate ?e }")
    assert [(str(f), f.datatype.rsplit("#")[-1], str(e)) for f, e in eec] == [
        ("1958", "gYear", "1992")]
    # the direct edge for every role, provenance and source on every membership
    assert graph.query(PREFIX + "ASK { <https://w3id.org/stigraph/id/country/JP> "
                       "stig:memberOf actor:cern }").askAnswer
    unsourced = graph.query(PREFIX + "SELECT ?m WHERE { ?m a stig:Membership . FILTER NOT "
                            "EXISTS { ?m dct:source ?s ; stig:provenance ?p } }")
    assert not list(unsourced)
    # the seam: JINR's HU, RU, CN leaving in 1964; FRG (IAEA, UN) and Kuwait (IAEA) joining
    # in 1965; each kept and marked
    assert result.rejects.counts["seam-1964-1965"] == 6
    marked = graph.query(PREFIX + "SELECT (COUNT(?m) AS ?n) WHERE { ?m a stig:Membership ; "
                         "rdfs:comment ?c . FILTER(CONTAINS(?c, '1964/65 seam')) }")
    assert int(next(iter(marked))[0]) == 6
    with (tmp_path / "r.csv").open(encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    assert Counter((r["reason"], r["action"]) for r in written
                   if r["reason"].startswith("known-error")) == {
        ("known-error", "corrected"): 2, ("known-error-missing", "added"): 2}
    assert all(r["line"] for r in written if r["reason"] == "historical-state")


def test_known_errors_as_published(tmp_path: Path) -> None:
    result = import_cow_igo(DATA, tmp_path / "c.nt", correct_known_errors=False)
    graph = _graph(tmp_path / "c.nt")
    assert "DE" in _members(graph, "united-nations", 1970)
    assert "ES" in _members(graph, "cern", 1975)
    assert "KP" not in _members(graph, "iaea", 1980)
    assert Counter(e.action for e in result.rejects.entries
                   if e.reason.startswith("known-error")) == {"kept, marked": 2, "not added": 2}
    commented = graph.query(PREFIX + "SELECT (COUNT(?m) AS ?n) WHERE { ?m rdfs:comment ?c . "
                            "FILTER(CONTAINS(?c, 'Known error')) }")
    assert int(next(iter(commented))[0]) == 2


def test_every_known_error_cites_an_official_page() -> None:
    assert len(KNOWN_ERRORS) == 4
    for error in KNOWN_ERRORS:
        assert error.source.startswith("https://")
        assert all(end == "" or end >= start for start, end in error.spells)


def test_broken_rows_are_rejected_with_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "cow"
    shutil.copytree(DATA, folder)
    spells = folder / "igo_membership_spells.csv"
    lines = spells.read_text(encoding="utf-8").splitlines()
    good = lines[1]
    cells = good.split(",")

    def variant(**changes: str) -> str:
        header = lines[0].split(",")
        out = list(cells)
        for column, value in changes.items():
            out[header.index(column)] = value
        return ",".join(out)

    extra = [
        variant(status="member"),                       # line 76
        variant(start_year="19x0"),                     # 77
        variant(start_year="2000", end_year="1990"),    # 78
        variant(igo_code="99999"),                      # 79
        good,                                           # 80: a duplicate of line 2
        "750,ASEAN,short row",                          # 81
        variant(iso2="ZZ", cow_ccode="999"),            # 82
    ]
    spells.write_text("\n".join([*lines, *extra]) + "\n", encoding="utf-8")
    result = import_cow_igo(folder, tmp_path / "c.nt", rejects=tmp_path / "r.csv")
    by_line = {e.line: e.reason for e in result.rejects.entries if e.action == "rejected"}
    assert {line: by_line[line] for line in range(76, 83)} == {
        76: "unknown-status", 77: "bad-year", 78: "bad-year", 79: "unknown-igo",
        80: "duplicate", 81: "wrong-field-count", 82: "unknown-country"}
    # the short row never reaches the importer; every other row is read and kept or rejected
    assert (result.stats.counts["spells_read"]
            == result.stats.counts["spells_kept"] + result.rejects.rejected - 1 == 74 + 6)


def test_gzip_folder_gives_the_same_triples(tmp_path: Path) -> None:
    folder = tmp_path / "gz"
    folder.mkdir()
    for path in DATA.glob("*.csv"):
        (folder / (path.name + ".gz")).write_bytes(gzip.compress(path.read_bytes(), mtime=0))
    import_cow_igo(DATA, tmp_path / "a.nt")
    import_cow_igo(folder, tmp_path / "b.nt")
    assert (tmp_path / "a.nt").read_bytes() == (tmp_path / "b.nt").read_bytes()
    (folder / "igos.csv.gz").write_bytes(b"\x1f\x8b\x08 not gzip at all")
    with pytest.raises(DataImportError, match=r"igos\.csv\.gz: not a readable gzip file"):
        import_cow_igo(folder, tmp_path / "c.nt")
    assert not (tmp_path / "c.nt").exists()


def test_missing_files_and_columns(tmp_path: Path) -> None:
    with pytest.raises(DataImportError, match="expected the COW IGO files"):
        import_cow_igo(tmp_path, tmp_path / "c.nt")
    shutil.copytree(DATA, tmp_path / "cow")
    (tmp_path / "cow" / "igo_membership_spells.csv").write_text("igo_code;status\n1;full\n")
    with pytest.raises(DataImportError, match="missing column"):
        import_cow_igo(tmp_path / "cow", tmp_path / "c.nt")
    assert not (tmp_path / "c.nt").exists()


def test_cli(tmp_path: Path) -> None:
    out = tmp_path / "c.nt"
    result = CliRunner().invoke(main, ["import", "cow-igo", str(DATA), "--out", str(out),
                                       "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "matched cow-1720 'European Organization for Nuclear Research' (-) -> cern by name" \
        in result.output
    assert "9 historical-state (rejected)" in result.output
    assert out.stat().st_size > 0
    bad = CliRunner().invoke(main, ["import", "cow-igo", str(tmp_path), "--out",
                                    str(tmp_path / "x.nt")])
    assert bad.exit_code != 0 and "expected the COW IGO files" in bad.output


# --------------------------------------------------------------------------------------------
# The full data set, against a direct computation from its CSV files
# --------------------------------------------------------------------------------------------


def _spell_rows(folder: Path) -> list[dict[str, str]]:
    with (folder / "igo_membership_spells.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))  # text cells: Namibia's NA stays "NA"


def _direct_members(rows: list[dict[str, str]], code: str, year: int) -> set[str]:
    """Full members that COW's years say were certainly members in the middle of ``year``: a
    spell that started in an earlier year and ends in a later one or not at all (a spell
    starting or ending in ``year`` itself may not cover 1 July, so it does not count)."""
    return {r["iso2"] for r in rows
            if r["igo_code"] == code and r["status"] == "full" and r["iso2"]
            and int(r["start_year"]) < year and (not r["end_year"] or int(r["end_year"]) > year)}


@pytest.mark.slow
def test_full_data_against_the_csv(shared_data: Path, tmp_path: Path) -> None:
    folder = shared_data / "cow_igo"
    if not folder.is_dir():
        pytest.skip("cow_igo is not in the shared data folder")
    rows = _spell_rows(folder)
    result = import_cow_igo(folder, tmp_path / "c.nt", rejects=tmp_path / "r.csv")
    counts = result.stats.counts
    assert counts["spells_read"] == len(rows)
    assert counts["spells_read"] == counts["spells_kept"] + result.rejects.rejected
    assert result.rejects.counts["historical-state"] == sum(1 for r in rows if not r["iso2"])
    with (folder / "igos.csv").open(encoding="utf-8", newline="") as handle:
        dissolved = {r["igo_code"]: r["dissolution_year"] for r in csv.DictReader(handle)}
    assert counts["igos"] + counts["matched_igos"] == len(dissolved)
    assert result.rejects.counts["after-dissolution"] == sum(
        1 for r in rows if r["iso2"] and dissolved[r["igo_code"]]
        and int(r["end_year"] or 2014) > int(dissolved[r["igo_code"]])) > 0
    by_status = Counter(r["status"] for r in rows if r["iso2"])
    # every full spell, plus the extra pieces of split spells and the added ones
    assert counts["memberships_member"] == by_status["full"] + sum(
        len(e.spells) - (1 if e.replaces else 0) for e in KNOWN_ERRORS)
    assert counts["memberships_associate_member"] == by_status["associate"]
    assert counts["memberships_observer"] == by_status["observer"]

    build = build_graph(store="oxigraph", include=[tmp_path / "c.nt"])
    graph = build.graph
    for slug, code, year in (("oecd", "3750", 2000), ("asean", "750", 1990)):
        direct = _direct_members(rows, code, year)
        got = {r["member"].rsplit("/", 1)[-1] for r in run_sparql(
            graph, "members", {"organisation": slug, "as_of": f"{year}-07-01"})
            if r["role"] == "member" and "correlatesofwar" in str(r["sources"])}
        assert got == direct, slug
    # a corrected figure: CERN's members in 1975 are COW's without Spain
    cow_cern = {r["member"].rsplit("/", 1)[-1] for r in run_sparql(
        graph, "members", {"organisation": "cern", "as_of": "1975-07-01"})
        if r["role"] == "member" and "correlatesofwar" in str(r["sources"])}
    assert cow_cern == _direct_members(rows, "1720", 1975) - {"ES"}


def test_sample_import_conforms_to_the_shapes(tmp_path: Path) -> None:
    from stigraph.validate.shacl import validate_graph

    import_cow_igo(DATA, tmp_path / "c.nt")
    build = build_graph(include=[tmp_path / "c.nt"])
    report = validate_graph(build.graph, build.origins)
    assert report.conforms, report


def test_igo_matching_rules_by_hand() -> None:
    from stigraph.importers.matching import SeedActor, SeedMatcher

    seeds = [
        SeedActor("wco", "World Customs Organization", "WCO", kind="IntergovernmentalOrganisation"),
        SeedActor("world-bank", "World Bank", kind="IntergovernmentalOrganisation"),
        SeedActor("wto", "World Trade Organization", "WTO", kind="IntergovernmentalOrganisation"),
        SeedActor("auc", "African Union Commission", "AUC", kind="RegionalOrganisation"),
        SeedActor("oecd", "Organisation for Economic Co-operation and Development", "OECD",
                  kind="IntergovernmentalOrganisation"),
        SeedActor("ipi", "International Patent Institute", "IPI", "NL", kind="University"),
    ]
    matcher = SeedMatcher(seeds)
    assert matcher.match_igo("1", "European Customs Union Study Group (Customs Cooperation "
                             "Council) (World Customs", acronym="WCO") == "wco"
    assert matcher.match_igo("2", "International Bank for Reconstruction and Development "
                             "(World Bank)", acronym="IBRD") == "world-bank"
    assert matcher.match_igo("3", "Organization for Economic Cooperation and Development "
                             "(OECD)", acronym="OECD") == "oecd"
    # "(WTO)" in the World Tourism Organization's name is an acronym, not the seed's name
    assert matcher.match_igo("4", "World Tourism Organization (WTO)", acronym="WTOURO") is None
    assert matcher.match_igo("5", "African Union (AU)", acronym="AU") is None
    # only intergovernmental kinds are candidates
    assert matcher.match_igo("6", "International Patent Institute", acronym="IPI") is None
    assert {m["source_id"]: m["rule"] for m in matcher.report()} == {
        "1": "acronym", "2": "name in parentheses", "3": "name"}
