"""SHACL validation: the seeds conform, and broken facts are reported with where they came from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from stigraph.build.builder import BuildResult, build_graph
from stigraph.cli import main
from stigraph.validate.shacl import validate_graph

MINI_SEEDS = Path(__file__).resolve().parent / "fixtures" / "mini-seeds"


def test_project_seeds_conform(seed_build: BuildResult) -> None:
    report = validate_graph(seed_build.graph, seed_build.origins)
    assert report.conforms, "\n".join(v.describe() for v in report.violations[:20])


def test_mini_world_conforms(mini_build: BuildResult) -> None:
    assert validate_graph(mini_build.graph, mini_build.origins).conforms


def _world(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(MINI_SEEDS, folder)
    return folder


def test_membership_in_a_country_is_reported_with_its_row(tmp_path: Path) -> None:
    folder = _world(tmp_path)
    with (folder / "memberships.csv").open("a") as handle:
        handle.write("KE,FR,member,2020,,,,para 11,\n")  # a country is not an organisation
    build = build_graph([folder], default_seeds=False)
    report = validate_graph(build.graph, build.origins)
    assert not report.conforms
    [violation] = report.violations
    assert violation.origin.endswith("memberships.csv:9")
    assert violation.path.endswith("/ontology/organisation")
    assert "exactly one actor or initiative" in violation.message


def test_turtle_seed_without_source_is_reported_with_its_file(tmp_path: Path) -> None:
    folder = _world(tmp_path)
    (folder / "extra.ttl").write_text(
        "@prefix stig: <https://w3id.org/stigraph/ontology/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/stigraph/id/actor/ghost> a stig:Fund ; rdfs:label \"Ghost Fund\" ;\n"
        "    stig:provenance stig:Curated .\n")
    build = build_graph([folder], default_seeds=False)
    report = validate_graph(build.graph, build.origins)
    paths = {(v.focus.rsplit("/", 1)[-1], v.path.rsplit("/", 1)[-1], v.origin)
             for v in report.violations}
    assert paths == {("ghost", "source", str(folder / "extra.ttl"))}


def test_validate_cli_exit_codes(tmp_path: Path) -> None:
    folder = _world(tmp_path)
    runner = CliRunner()
    ok = runner.invoke(main, ["validate", "--graph", str(_built(tmp_path, folder))])
    assert ok.exit_code == 0, ok.output
    with (folder / "memberships.csv").open("a") as handle:
        handle.write("KE,FR,member,2020,,,,para 11,\n")
    bad_out = tmp_path / "bad"
    runner.invoke(main, ["build", "--no-default-seeds", "--seeds", str(folder), "--out",
                         str(bad_out)])
    bad = runner.invoke(main, ["validate", "--graph", str(bad_out / "stigraph.ttl"),
                               "--format", "csv"])
    assert bad.exit_code == 1
    assert "seeds/memberships.csv:9" in bad.output  # stig:seedFile travels with the graph file
    assert "does not conform: 1 violation" in bad.output


def _built(tmp_path: Path, folder: Path) -> Path:
    out = tmp_path / "good"
    result = CliRunner().invoke(main, ["build", "--no-default-seeds", "--seeds", str(folder),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "stigraph.ttl"


def test_validation_on_the_oxigraph_store_matches_memory(tmp_path: Path) -> None:
    pytest.importorskip("oxrdflib")
    folder = _world(tmp_path)
    with (folder / "memberships.csv").open("a") as handle:
        handle.write("KE,FR,member,2020,,,,para 11,\n")
    memory = build_graph([folder], default_seeds=False)
    oxigraph = build_graph([folder], default_seeds=False, store="oxigraph")
    on_memory = validate_graph(memory.graph, memory.origins).violations
    on_oxigraph = validate_graph(oxigraph.graph, oxigraph.origins).violations
    assert len(on_memory) == 1
    assert on_oxigraph == on_memory
