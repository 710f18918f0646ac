"""The organisation network (actor–actor projection from CORDIS co-participation): weights
computed by hand on a tiny graph, and against counts made straight from the CORDIS sample's
CSV files with the csv module."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph

from stigraph.build.builder import GraphSource, build_graph
from stigraph.cli import main
from stigraph.errors import ParameterError
from stigraph.importers import import_cordis
from stigraph.outputs.report import ReportSettings, build_report
from stigraph.projection.evidence import Layer, PairCount, identifier_aliases
from stigraph.projection.inputs import AnalysisInputs
from stigraph.projection.organisations import consortium_sizes, organisation_network

TESTS = Path(__file__).resolve().parent
CORDIS = TESTS / "data" / "cordis"
SEEDS = TESTS / "fixtures" / "report-seeds"
ID = "https://w3id.org/stigraph/id/"

#: Three projects. P1 (2022): A (twice: coordinator and participant), B, and the seed actor
#: CERN, which also appears under its own PIC node pic-9 (an import made without the seed
#: matching): 3 distinct participants. P2 (2023): A and B. P3 (2023): A alone. Plus one
#: curated relation, CERN partner of T.
HAND = """
@prefix stig: <https://w3id.org/stigraph/ontology/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix id: <https://w3id.org/stigraph/id/> .

id:project\\/cordis-1 a stig:Project ; stig:startDate "2022-01-01" .
id:project\\/cordis-2 a stig:Project ; stig:startDate "2023-03-01" .
id:project\\/cordis-3 a stig:Project ; stig:startDate "2023-05-01" .
id:actor\\/pic-1 a stig:University ; rdfs:label "Org A" ; dct:identifier "1" ;
    stig:headquarteredIn id:country\\/KE .
id:actor\\/pic-2 a stig:Company ; rdfs:label "Org B" ; dct:identifier "2" ;
    stig:headquarteredIn id:country\\/DE .
id:actor\\/pic-9 a stig:Actor ; rdfs:label "ORGANISATION EUROPEENNE" ; dct:identifier "9" ;
    stig:headquarteredIn id:country\\/CH .
id:actor\\/cern a stig:Actor ; rdfs:label "CERN" ; dct:identifier "9" ;
    stig:headquarteredIn id:country\\/CH ; stig:partnerOf id:actor\\/t .
id:actor\\/t a stig:Actor ; rdfs:label "T" .
""" + "".join(
    f"""id:membership\\/m{i} a stig:Participation ; stig:member id:actor\\/{actor} ;
    stig:organisation id:project\\/cordis-{project} ; stig:role id:role\\/{role} ;
    stig:amount {amount} .
""" for i, (actor, project, role, amount) in enumerate([
        ("pic-1", 1, "coordinator", 100), ("pic-1", 1, "participant", 50),
        ("pic-2", 1, "participant", 10), ("cern", 1, "participant", 10),
        ("pic-9", 1, "participant", 10), ("pic-1", 2, "participant", 1),
        ("pic-2", 2, "participant", 1), ("pic-1", 3, "coordinator", 1)]))

A, B, S, T = (ID + "actor/pic-1", ID + "actor/pic-2", ID + "actor/cern", ID + "actor/t")


@pytest.fixture(scope="module")
def hand() -> Graph:
    graph = Graph()
    graph.parse(data=HAND, format="turtle")
    return graph


def _weights(G: Any) -> dict[frozenset[str], float]:
    return {frozenset((u, v)): d["weight"] for u, v, d in G.edges(data=True)}


def test_fractional_weights_by_hand(hand: Graph) -> None:
    G = AnalysisInputs(hand).actor_actor
    # A–B: projects 2 (P1, P2); fractional 1/2 (P1, n = 3) + 1 (P2, n = 2) = 1.5
    assert G[A][B]["projects"] == 2 and G[A][B]["projects_fractional"] == pytest.approx(1.5)
    assert G[A][S]["projects"] == 1 and G[A][S]["projects_fractional"] == pytest.approx(0.5)
    # each layer divided by its strongest pair: CORDIS by 1.5, the curated relation by 1
    assert _weights(G) == pytest.approx({
        frozenset((A, B)): 1.0, frozenset((A, S)): 1 / 3, frozenset((B, S)): 1 / 3,
        frozenset((S, T)): 1.0})
    assert G[S][T]["relations"] == 1.0 and "projects" not in G[S][T]
    assert all(d["distance"] == pytest.approx(1 / d["weight"]) for _u, _v, d in
               G.edges(data=True))
    # no project, no self-link, pic-9 merged into CERN which keeps the PIC
    assert set(G) == {A, B, S, T}
    assert nx.number_of_selfloops(G) == 0
    assert G.nodes[S]["pic"] == "9" and G.nodes[A]["pic"] == "1" and "pic" not in G.nodes[T]
    assert G.nodes[S]["code"] == "cern"
    assert G.graph["counting"] == "fractional" and G.graph["evidence"] == "cordis,memberships"
    assert (G.graph["consortia_projects"], G.graph["consortia_largest"],
            G.graph["consortia_pair_incidences"]) == (3, 3, 4)


def test_full_and_association_weights_by_hand(hand: Graph) -> None:
    full = AnalysisInputs(hand, counting="full").actor_actor
    assert _weights(full) == pytest.approx({
        frozenset((A, B)): 1.0, frozenset((A, S)): 0.5, frozenset((B, S)): 0.5,
        frozenset((S, T)): 1.0})
    # association strength of the full counts: m = 4, s_A = s_B = 3, s_S = 2:
    # AB 2·4·2/9 = 16/9, AS = BS = 2·4·1/6 = 4/3; divided by 16/9: 1, 3/4, 3/4
    assoc = AnalysisInputs(hand, counting="association").actor_actor
    assert _weights(assoc) == pytest.approx({
        frozenset((A, B)): 1.0, frozenset((A, S)): 0.75, frozenset((B, S)): 0.75,
        frozenset((S, T)): 1.0})


def test_evidence_chooses_the_layers(hand: Graph) -> None:
    cordis = AnalysisInputs(hand, evidence="cordis").actor_actor
    assert set(_weights(cordis)) == {frozenset((A, B)), frozenset((A, S)), frozenset((B, S))}
    curated = AnalysisInputs(hand, evidence="memberships").actor_actor
    assert set(_weights(curated)) == {frozenset((S, T))}
    # country-level layers alone: the curated relations stay
    assert set(_weights(AnalysisInputs(hand, evidence="gcf").actor_actor)) == \
        {frozenset((S, T))}
    # the date: only P1 had started by 2022
    early = AnalysisInputs(hand, as_of="2022-12-31").actor_actor
    assert early[A][B]["projects"] == 1


def test_unknown_counting_is_refused() -> None:
    with pytest.raises(ParameterError, match="unknown counting 'half'"):
        organisation_network(None, [], counting="half")


def test_consortium_sizes_by_hand() -> None:
    sizes = consortium_sizes([2, 3, 51, 101, 1])
    # pairs: 1 + 3 + 1275 + 5050 = 6329; over 50: 6325, over 100: 5050
    assert sizes.as_dict() == {"projects": 5, "pair_incidences": 6329, "largest": 101,
                               "over_50_projects": 2, "over_50_pair_share": round(6325 / 6329, 4),
                               "over_100_projects": 1, "over_100_pair_share": round(5050 / 6329, 4)}


def test_an_ambiguous_pic_is_not_merged() -> None:
    rows = [{"actor": ID + "actor/pic-5", "identifier": "5"},
            {"actor": ID + "actor/x", "identifier": "5"},
            {"actor": ID + "actor/y", "identifier": "5"}]
    assert identifier_aliases(rows) == {}


def test_network_from_layer_keeps_isolated_participants() -> None:
    layer = Layer("cordis", "organisations", "projects")
    layer.members.update({"a", "b", "alone"})
    layer.count("a", "b", 2023, PairCount(full=1, fractional=1))
    G = organisation_network(layer, [])
    assert set(G) == {"a", "b", "alone"} and G.degree("alone") == 0


# ---- the CORDIS sample, against the csv module ----------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("orgs")
    import_cordis(CORDIS, out / "cordis.nt")
    return build_graph(store="oxigraph", include=[out / "cordis.nt"]).graph


def test_sample_weights_match_the_csv(sample: Any) -> None:
    G = AnalysisInputs(sample, evidence="cordis").actor_actor
    # the node of each PIC, from the graph's pic attribute (seed-matched PICs: the seed actor)
    node_of = {pic: n for n, pics in G.nodes(data="pic") if pics for pic in pics.split("; ")}
    members: dict[str, set[str]] = defaultdict(set)
    with (CORDIS / "organization.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            members[row["projectID"]].add(node_of[row["organisationID"]])
    full: dict[frozenset[str], int] = defaultdict(int)
    frac: dict[frozenset[str], float] = defaultdict(float)
    for nodes in members.values():
        for a, b in combinations(sorted(nodes), 2):
            full[frozenset((a, b))] += 1
            frac[frozenset((a, b))] += 1 / (len(nodes) - 1)
    got = {frozenset((u, v)): (d["projects"], d["projects_fractional"])
           for u, v, d in G.edges(data=True)}
    assert {k: v[0] for k, v in got.items()} == dict(full)
    assert {k: v[1] for k, v in got.items()} == pytest.approx(dict(frac))
    strongest = max(frac.values())
    assert _weights(G) == pytest.approx({k: v / strongest for k, v in frac.items()})
    assert set(G) == {n for nodes in members.values() for n in nodes}
    sizes = sorted(len(nodes) for nodes in members.values())
    assert G.graph["consortia_projects"] == len(sizes)
    assert G.graph["consortia_largest"] == sizes[-1]
    # seed actors matched by the importer are one node, under the seed's IRI
    assert any("/pic-" not in n for n in node_of.values())


def test_centrality_cli_on_the_organisation_network(tmp_path: Path) -> None:
    out = tmp_path / "cordis.nt"
    import_cordis(CORDIS, out)
    base = ["centrality", "--projection", "actor-actor", "--include", str(out),
            "--format", "json", "--top", "3"]
    fractional = CliRunner().invoke(main, base)
    full = CliRunner().invoke(main, [*base, "--counting", "full"])
    assert fractional.exit_code == 0 and full.exit_code == 0, fractional.output + full.output
    assert "/project/" not in fractional.stdout
    bad = CliRunner().invoke(main, [*base, "--counting", "half"])
    assert bad.exit_code != 0 and "half" in bad.output
    bad = CliRunner().invoke(main, [*base, "--evidence", "patents"])
    assert bad.exit_code != 0 and "unknown evidence layer patents" in bad.output


def test_report_and_viz_take_the_evidence(tmp_path: Path) -> None:
    hand = tmp_path / "hand.ttl"
    hand.write_text(HAND, encoding="utf-8")
    settings = ReportSettings(source=GraphSource(seed_dirs=(SEEDS,), default_seeds=False,
                                                 include=(hand,)),
                              as_of=dt.date(2024, 6, 30), networks=False, evidence="cordis",
                              counting="full")
    html = build_report(tmp_path / "r", settings).path.read_text(encoding="utf-8")
    assert "Organisations are linked by the CORDIS projects they share, in full counting" in html
    assert "The country network is built from the evidence layers cordis" in html
    page = tmp_path / "actors.html"
    result = CliRunner().invoke(main, ["viz", "actor", "--out", str(page), "--seeds", str(SEEDS),
                                       "--no-default-seeds", "--include", str(hand),
                                       "--evidence", "cordis", "--as-of", "2024-06-30"])
    assert result.exit_code == 0, result.output
    # A, B and CERN linked by shared projects; nothing else (curated relations left out)
    assert result.stderr.splitlines()[-1].startswith("draws 3 nodes")


def test_export_takes_the_evidence(tmp_path: Path) -> None:
    hand = tmp_path / "hand.ttl"
    hand.write_text(HAND, encoding="utf-8")
    out = tmp_path / "actors.graphml"
    result = CliRunner().invoke(main, ["export", "--format", "graphml", "--projection",
                                       "actor-actor", "--out", str(out), "--seeds", str(SEEDS),
                                       "--no-default-seeds", "--include", str(hand),
                                       "--evidence", "cordis", "--counting", "full",
                                       "--as-of", "2024-06-30"])
    assert result.exit_code == 0, result.output
    G = nx.read_graphml(out)
    assert set(G) == {A, B, S}
    assert G[A][B]["projects"] == 2 and G[A][B]["weight"] == 1.0
    assert G[A][S]["weight"] == 0.5 and G.nodes[S]["pic"] == "9"
