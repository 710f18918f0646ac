"""The default graph (seeds + shipped data) against direct counts in the source files, and the
kept graph's cache: same inputs open the kept store, any changed input builds anew."""

from __future__ import annotations

import csv
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from stigraph.build import cache
from stigraph.build.builder import BuildResult, GraphSource, build_graph, open_graph
from stigraph.cli import main
from stigraph.store import store_of

MINI_SEEDS = Path(__file__).resolve().parent / "fixtures" / "mini-seeds"

ID = "https://w3id.org/stigraph/id/"
STIG = "https://w3id.org/stigraph/ontology/"


@pytest.fixture(scope="module")
def default_build() -> BuildResult:
    """The default graph, built once (about two minutes: 5 million triples)."""
    return build_graph(store="oxigraph", default_data=True)


def _select(build: BuildResult, text: str) -> list[list[object]]:
    return store_of(build.graph).select(text, {}, {"stig": STIG})[1]


def _he_rows(shared: Path) -> list[dict[str, str]]:
    with (shared / "cordis_horizon_europe" / "he_organization.csv").open(
            encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_kenya_horizon_europe_participations(default_build: BuildResult,
                                             shared_data: Path) -> None:
    expected = sum(1 for r in _he_rows(shared_data) if r["country"] == "KE")
    rows = _select(default_build, f"""
        SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{
          ?p a stig:Participation ; stig:member ?org ; stig:organisation ?project .
          FILTER(STRSTARTS(STR(?project), "{ID}project/cordis-"))
          ?org stig:headquarteredIn <{ID}country/KE> }}""")
    assert expected > 100 and rows[0][0] == expected


def test_kenya_top_partner_countries(default_build: BuildResult, shared_data: Path) -> None:
    # CORDIS writes the EU's own codes for two countries (UK, EL); ISO 3166 has GB and GR
    iso = {"UK": "GB", "EL": "GR"}
    countries: dict[str, set[str]] = defaultdict(set)
    for r in _he_rows(shared_data):
        if r["country"]:
            countries[r["projectID"]].add(iso.get(r["country"], r["country"]))
    expected = Counter(c for cs in countries.values() if "KE" in cs for c in cs if c != "KE")
    rows = _select(default_build, f"""
        SELECT ?c (COUNT(DISTINCT ?project) AS ?n) WHERE {{
          ?p stig:member ?ke ; stig:organisation ?project .
          ?ke stig:headquarteredIn <{ID}country/KE> .
          FILTER(STRSTARTS(STR(?project), "{ID}project/cordis-"))
          ?q stig:member ?other ; stig:organisation ?project .
          ?other stig:headquarteredIn ?country . FILTER(?country != <{ID}country/KE>)
          BIND(STRAFTER(STR(?country), "{ID}country/") AS ?c) }}
        GROUP BY ?c ORDER BY DESC(?n) ?c LIMIT 5""")
    top = sorted(expected.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    assert [(c, n) for c, n in rows] == top


def test_an_igo_member_count_in_a_year(default_build: BuildResult, shared_data: Path) -> None:
    # AAAID (COW code 370), full members in 2000; not among the corrected known errors
    with (shared_data / "cow_igo" / "igo_membership_spells.csv").open(
            encoding="utf-8", newline="") as handle:
        expected = {r["iso2"] for r in csv.DictReader(handle)
                    if r["igo_code"] == "370" and r["status"] == "full" and r["iso2"]
                    and int(r["start_year"]) <= 2000
                    and (not r["end_year"] or int(r["end_year"]) >= 2000)}
    rows = _select(default_build, f"""
        SELECT DISTINCT ?c WHERE {{
          ?m a stig:Membership ; stig:organisation <{ID}actor/cow-370> ;
             stig:role <{ID}role/member> ; stig:member ?country ; stig:startDate ?s .
          OPTIONAL {{ ?m stig:endDate ?e }}
          FILTER(xsd:integer(STR(?s)) <= 2000 && (!BOUND(?e) || xsd:integer(STR(?e)) >= 2000))
          BIND(STRAFTER(STR(?country), "{ID}country/") AS ?c) }}""".replace(
        "xsd:integer", "<http://www.w3.org/2001/XMLSchema#integer>"))
    assert len(expected) > 10 and {r[0] for r in rows} == expected


# -- the kept graph ------------------------------------------------------------------------


def _mini(cache_dir: Path, seeds: Path = MINI_SEEDS, **extra: object) -> GraphSource:
    return GraphSource(seed_dirs=(seeds,), default_seeds=False, default_data=False,
                       store="oxigraph", cache_dir=cache_dir, **extra)  # type: ignore[arg-type]


def _kept(cache_dir: Path) -> list[str]:
    return sorted(p.name for p in (cache_dir / "graphs").iterdir()
                  if p.is_dir() and not p.name.startswith((".", "open-")))


def test_second_open_reads_the_kept_graph(tmp_path: Path) -> None:
    first = open_graph(_mini(tmp_path))
    assert len(_kept(tmp_path)) == 1
    second = open_graph(_mini(tmp_path))
    assert set(second.graph) == set(first.graph)
    assert second.origins == {k: v for k, v in first.origins.items()}
    assert second.lifetimes.facts == first.lifetimes.facts
    # nothing written into a run's graph reaches the kept one
    (s, p, o) = next(iter(second.graph))
    second.graph.remove((s, p, o))
    third = open_graph(_mini(tmp_path))
    assert (s, p, o) in third.graph


def test_a_changed_seed_file_is_a_new_key(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(MINI_SEEDS, seeds)
    before = open_graph(_mini(tmp_path / "c", seeds))
    actors = next(seeds.glob("actors*.csv"))
    text = actors.read_text("utf-8").splitlines()
    # a new name in the first actor's row
    header, first = text[0].split(","), text[1].split(",")
    first[header.index("name")] = "Renamed Body"
    actors.write_text("\n".join([text[0], ",".join(first), *text[2:]]) + "\n", "utf-8")
    after = open_graph(_mini(tmp_path / "c", seeds))
    assert len(_kept(tmp_path / "c")) == 2
    assert "Renamed Body" in {str(o) for o in after.graph.objects()}
    assert "Renamed Body" not in {str(o) for o in before.graph.objects()}


def test_key_covers_code_options_and_content(tmp_path: Path) -> None:
    a = tmp_path / "a.csv"
    a.write_text("x\n", "utf-8")
    key = cache.cache_key([a])
    assert cache.cache_key([a]) == key
    assert cache.cache_key([a], options={"default_data": True}) != key
    a.write_text("y\n", "utf-8")
    assert cache.cache_key([a]) != key


def test_include_files_are_loaded_on_top_not_kept(tmp_path: Path) -> None:
    extra = tmp_path / "extra.nt"
    extra.write_text(f"<{ID}actor/x> <{STIG}headquarteredIn> <{ID}country/KE> .\n", "utf-8")
    with_extra = open_graph(_mini(tmp_path / "c", include=(extra,)))
    plain = open_graph(_mini(tmp_path / "c"))
    assert len(_kept(tmp_path / "c")) == 1
    assert len(with_extra.graph) == len(plain.graph) + 1


def test_a_busy_lock_builds_without_keeping(tmp_path: Path) -> None:
    import os

    source = _mini(tmp_path)
    key = cache.source_key(source)
    folder = tmp_path / "graphs" / key[:32]
    folder.parent.mkdir(parents=True)
    (folder.parent / f".{folder.name}.lock").write_text(str(os.getppid()), "utf-8")
    result = open_graph(source)
    assert len(result.graph) > 0 and _kept(tmp_path) == []


def test_cli_no_cache_and_no_default_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    monkeypatch.setenv("STIGRAPH_CACHE_DIR", str(tmp_path))
    runner = CliRunner()
    args = ["query", "members", "--param", "organisation=oecd", "--format", "csv",
            "--no-default-data", "--cache"]
    kept = runner.invoke(main, args)
    assert kept.exit_code == 0, kept.output
    assert len(_kept(tmp_path)) == 1
    shutil.rmtree(tmp_path / "graphs")
    bypass = runner.invoke(main, [*args, "--no-cache"])
    assert bypass.exit_code == 0 and bypass.stdout == kept.stdout
    assert not (tmp_path / "graphs").exists()


def test_copies_of_killed_runs_are_removed(tmp_path: Path) -> None:
    open_graph(_mini(tmp_path))
    # a process id above any kernel's pid_max: a run that no longer exists
    orphan = tmp_path / "graphs" / "open-999999999-x"
    orphan.mkdir()
    open_graph(_mini(tmp_path))
    assert not orphan.exists()
