"""Analytics on the real seed graph and on imported data, cross-checked with independent code.

The independent computations read the RDF triples with plain rdflib and build the graphs with
plain NetworkX (no stigraph projection code), then compare with what stigraph returns.
"""

from __future__ import annotations

import calendar
import csv
import datetime
import json
import math
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, URIRef

from stigraph.analytics import api
from stigraph.analytics.evaluate import holdout_graph
from stigraph.analytics.links import pair_scores
from stigraph.build.builder import BuildResult
from stigraph.importers import import_openalex
from stigraph.projection.inputs import AnalysisInputs
from stigraph.projection.networks import cooperation_graph, edge_rows, project
from stigraph.vocab.namespaces import RDF, STIG

DATA = Path(__file__).parent / "data"
COUNTRY = "https://w3id.org/stigraph/id/country/"
HEAVY = ("igraph", "matplotlib", "pyvis", "pyshacl", "scipy")


def test_cli_import_is_light() -> None:
    """Importing the CLI must not import the heavy optional packages (each costs ~0.5 s)."""
    code = ("import json, sys, stigraph.cli; "
            f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert json.loads(out) == []


# -- an independent bipartite country–organisation graph --------------------------------------

def _last_day(date: str) -> str:
    if len(date) == 4:
        return f"{date}-12-31"
    if len(date) == 7:
        return f"{date}-{calendar.monthrange(int(date[:4]), int(date[5:]))[1]:02d}"
    return date


def _first_day(date: str) -> str:
    return {4: f"{date}-01-01", 7: f"{date}-01"}.get(len(date), date)


def _valid(start: object, end: object, day: str, *, decided: object = None,
           lifetime: tuple[object, object] = (None, None)) -> bool:
    """Certainly holds on ``day``: started, decided and its organisation founded by then (the
    last day each date may stand for), not ended nor its organisation (their first day)."""
    life_start, life_end = lifetime
    starts = [str(d) for d in (start or life_start, decided, life_start) if d is not None]
    ends = [str(d) for d in (end, life_end) if d is not None]
    return (all(_last_day(d) <= day for d in starts)
            and all(_first_day(d) >= day for d in ends))


def _lifetime(g: Graph, organisation: object) -> tuple[object, object]:
    start = g.value(organisation, STIG.foundingDate) or g.value(organisation, STIG.startDate)
    return start, g.value(organisation, STIG.endDate)


def _membership_valid(g: Graph, m: object, day: str) -> bool:
    organisation = g.value(m, STIG.organisation)
    return _valid(g.value(m, STIG.startDate), g.value(m, STIG.endDate), day,
                  decided=g.value(m, STIG.decisionDate), lifetime=_lifetime(g, organisation))


def independent_bipartite(g: Graph, day: str) -> nx.Graph:
    countries = set(g.subjects(RDF.type, STIG.Country))
    counts: dict[tuple[str, str], int] = defaultdict(int)
    described = set()
    for m in g.subjects(STIG.member, None):
        c, o = g.value(m, STIG.member), g.value(m, STIG.organisation)
        described.add((c, o))
        # a membership holds within its own dates and its organisation's lifetime
        if c in countries and _membership_valid(g, m, day):
            counts[(str(c), str(o))] += 1
    for prop in (STIG.memberOf, STIG.participatesIn):
        for c, o in g.subject_objects(prop):
            if (c in countries and (c, o) not in described
                    and _valid(*_lifetime(g, o), day)):
                counts[(str(c), str(o))] += 1
    for o, c in g.subject_objects(STIG.activeIn):
        if c in countries and _valid(*_lifetime(g, o), day):
            counts[(str(c), str(o))] += 1
    for o, c in g.subject_objects(STIG.headquarteredIn):
        if _valid(*_lifetime(g, o), day):
            counts[(str(c), str(o))] += 1
    B = nx.Graph()
    for (c, o), n in counts.items():
        B.add_edge(c, o, weight=float(n))
    return B


@pytest.mark.parametrize("day", ["2019-06-30", datetime.date.today().isoformat()])
def test_seed_bipartite_projection_matches_triples(seed_build: BuildResult, day: str) -> None:
    B = independent_bipartite(seed_build.graph, day)
    rows = edge_rows(seed_build.graph, "country-organisation", as_of=day)
    expected = {((u, v) if u.startswith(COUNTRY) else (v, u)): d["weight"]
                for u, v, d in B.edges(data=True)}
    assert {(u, v): w for u, v, w in rows} == expected


ACTOR_RELATIONS = (STIG.partnerOf, STIG.funds, STIG.runs, STIG.coordinates, STIG.supports,
                   STIG.hosts, STIG.partOfProgramme)


def independent_actor_actor(g: Graph, day: str) -> dict[tuple[str, str], float]:
    """The actor–actor projection counted from the triples (see projection-actor-actor.rq)."""
    counts: dict[tuple[str, str], float] = defaultdict(float)

    def count(a: object, b: object) -> None:
        u, v = str(a), str(b)
        if u != v and not u.startswith(COUNTRY) and not v.startswith(COUNTRY):
            counts[(u, v) if u < v else (v, u)] += 1

    for prop in ACTOR_RELATIONS:
        for a, b in g.subject_objects(prop):
            count(a, b)
    described = {(g.value(m, STIG.member), g.value(m, STIG.organisation))
                  for m in g.subjects(STIG.member, None)}
    for prop in (STIG.memberOf, STIG.participatesIn):
        for a, b in g.subject_objects(prop):
            if (a, b) not in described:
                count(a, b)
    for m in g.subjects(STIG.member, None):
        a, b = g.value(m, STIG.member), g.value(m, STIG.organisation)
        if _membership_valid(g, m, day):
            count(a, b)
    return dict(counts)


@pytest.mark.parametrize("day", ["2003-04-30", "2023-11-07", "2023-11-08",
                                 datetime.date.today().isoformat()])
def test_seed_actor_projection_matches_triples(seed_build: BuildResult, day: str) -> None:
    # the dates bracket the ends of the Human Genome Project and the CSTD 2023-24 panel
    rows = edge_rows(seed_build.graph, "actor-actor", as_of=day)
    assert {(u, v): w for u, v, w in rows} == independent_actor_actor(seed_build.graph, day)


def test_seed_centrality_cross_check(seed_build: BuildResult) -> None:
    """``stigraph centrality`` on the seed graph against NetworkX on the independent graphs."""
    g = seed_build.graph
    day = datetime.date.today().isoformat()
    B = independent_bipartite(g, day)
    # country–organisation: degree, PageRank, betweenness on distance 1/weight
    ours = {r.node: r.as_row() for r in api.centrality_report(AnalysisInputs(g, as_of=day),
                                                              projection="country-organisation")}
    linked = {n for n in ours if ours[n]["degree"] > 0}
    assert linked == set(B)
    for _u, _v, d in B.edges(data=True):
        d["dist"] = 1.0 / d["weight"]
    pr = nx.pagerank(B, weight="weight", tol=1e-12, max_iter=10000)
    bet = nx.betweenness_centrality(B, weight="dist")
    n_all, n_b = len(ours), B.number_of_nodes()
    for v in B:
        assert ours[v]["degree"] == B.degree(v)
        # betweenness is normalised by the pairs of the whole projection (isolated countries
        # included), NetworkX's by the pairs of B: rescale
        scale = (n_b - 1) * (n_b - 2) / ((n_all - 1) * (n_all - 2))
        assert ours[v]["betweenness"] == pytest.approx(bet[v] * scale, abs=1e-9)
    # PageRank: B lacks the isolated countries, which only add uniform teleportation mass
    top_ours = sorted(linked, key=lambda v: -ours[v]["pagerank"])[:10]
    top_nx = sorted(B, key=lambda v: -pr[v])[:10]
    assert top_ours == top_nx
    # country–country: co-membership counts from B, plus direct links (none in the seeds)
    C = nx.Graph()
    C.add_nodes_from(str(c) for c in g.subjects(RDF.type, STIG.Country))
    countries = [n for n in B if n.startswith(COUNTRY)]
    for i, u in enumerate(sorted(countries)):
        for v in sorted(countries)[i + 1:]:
            shared = len(set(B[u]) & set(B[v]))
            if shared:
                C.add_edge(u, v, weight=float(shared), dist=1.0 / shared)
    assert not edge_rows(g, "country-country", as_of=day)  # no direct links in the seeds
    rows = {r.node: r.as_row() for r in api.centrality_report(AnalysisInputs(g, as_of=day))}
    pr_c = nx.pagerank(C, weight="weight", tol=1e-12, max_iter=10000)
    bet_c = nx.betweenness_centrality(C, weight="dist")
    for v in C:
        assert rows[v]["degree"] == C.degree(v)
        assert rows[v]["strength"] == pytest.approx(C.degree(v, weight="weight"))
        assert rows[v]["pagerank"] == pytest.approx(pr_c[v], abs=1e-8)
        assert rows[v]["betweenness"] == pytest.approx(bet_c[v], abs=1e-9)


# -- weighted indices and affinity, by hand ---------------------------------------------------

def test_weighted_indices_by_hand() -> None:
    # u–z1 (w 1), z1–v (w 0.5), u–z2 (w 0.25), z2–v (w 1), u–x (w 1): z1, z2 shared
    G = nx.Graph()
    for a, b, w in [("u", "z1", 1.0), ("z1", "v", 0.5), ("u", "z2", 0.25), ("z2", "v", 1.0),
                    ("u", "x", 1.0)]:
        G.add_edge(a, b, affinity=w)
    s = pair_scores(G, [("u", "v")], weight="affinity")[0]
    c1, c2 = (1.0 + 0.5) / 2, (0.25 + 1.0) / 2
    assert s["shared"] == ["z1", "z2"]  # larger contribution first
    assert s["resource_allocation"] == pytest.approx(c1 / 2 + c2 / 2)
    assert s["adamic_adar"] == pytest.approx(c1 / math.log(2) + c2 / math.log(2))
    # Ruzicka: (min(1, .5) + min(.25, 1)) / (max(1, .5) + max(.25, 1) + 1 for x)
    assert s["jaccard"] == pytest.approx((0.5 + 0.25) / (1.0 + 1.0 + 1.0))
    assert s["preferential_attachment"] == pytest.approx((1 + 0.25 + 1) * (0.5 + 1))
    assert s["community"] == pytest.approx(c1 + c2)


def test_affinity_after_holdout_is_recomputed(seed_build: BuildResult) -> None:
    G = cooperation_graph(seed_build.graph)
    H, removed = holdout_graph(G, fraction=0.2, seed=3)
    members: dict[str, set[str]] = defaultdict(set)
    for u, v, rel in H.edges(data="relation"):
        if rel == "membership":
            c, o = (u, v) if u.startswith(COUNTRY) else (v, u)
            members[o].add(c)
    checked = 0
    for u, v, d in H.edges(data=True):
        if d["relation"] == "country":
            expected = sum(1.0 / (len(ms) - 1) for ms in members.values()
                           if u in ms and v in ms)
            assert d["affinity"] == pytest.approx(expected + d.get("direct", 0.0))
            checked += 1
    assert checked > 1000 and removed


# -- OpenAlex co-authorship read by the country–country projection ----------------------------

def test_openalex_coauthorship_is_a_country_weight(seed_build: BuildResult,
                                                   tmp_path: Path) -> None:
    out = tmp_path / "openalex.nt"
    import_openalex(DATA / "openalex", out)
    g = Graph()
    for t in seed_build.graph:
        g.add(t)
    g.parse(out)
    expected: dict[tuple[str, str], float] = defaultdict(float)
    known = {str(c)[len(COUNTRY):] for c in seed_build.graph.subjects(RDF.type, STIG.Country)}
    seen = set()
    with (DATA / "openalex" / "openalex_country_coauthorship_edges_sample.csv").open() as f:
        for row in csv.DictReader(f):
            a, b = sorted((row["iso2_a"].strip(), row["iso2_b"].strip()))
            year, count = row["year"].strip(), row["coauthored_works"].strip()
            if (a in known and b in known and a != b and count.isdigit() and year.isdigit()
                    and int(year) <= 2022 and (year, a, b) not in seen):
                seen.add((year, a, b))
                expected[(COUNTRY + a, COUNTRY + b)] += float(count)
    rows = {(u, v): w for u, v, w in edge_rows(g, "country-country", as_of="2022")}
    assert rows == dict(expected) and rows
    # and they weigh the country–country projection and its centralities
    C = project(g, "country-country", as_of="2022")
    (a, b), w = next(iter(sorted(expected.items())))
    assert C[a][b]["weight"] >= w
    assert URIRef(a) in set(g.subjects(RDF.type, STIG.Country))


def test_ended_events_are_not_recommended(seed_build: BuildResult) -> None:
    from stigraph.analytics.api import recommend_report
    from stigraph.projection.networks import ended_organisations

    panel = "https://w3id.org/stigraph/id/initiative/cstd-2023-2024-intersessional-panel"
    # the panel ran from 2023-11-06 to 2023-11-07 (seeds/initiatives.csv): it does not exist
    # before it started (as of 2021 it was recommended to Kenya) nor after it ended
    assert panel in ended_organisations(seed_build.graph, "2021-01-01")
    assert panel in ended_organisations(seed_build.graph, "2023-11-05")
    assert panel not in ended_organisations(seed_build.graph, "2023-11-07")
    assert panel in ended_organisations(seed_build.graph, "2023-11-08")
    # the Human Genome Project ended in 2003-04: it certainly ran until 2003-04-01 only
    hgp = "https://w3id.org/stigraph/id/initiative/human-genome-project"
    assert hgp not in ended_organisations(seed_build.graph, "2003-04-01")
    assert hgp in ended_organisations(seed_build.graph, "2003-04-02")
    for day in ("2021-01-01", "2024-06-30"):
        inputs = AnalysisInputs(seed_build.graph, as_of=day)
        targets = {r.target for r in recommend_report(inputs, group="LDC", top=50)}
        assert targets and not targets & ended_organisations(seed_build.graph, day), day


def test_country_time_split_on_real_coauthorship(seed_build: BuildResult,
                                                 tmp_path: Path) -> None:
    """The CLI's country time split on real co-authorship among 12 countries (1990–2023): the
    network of 2005 predicts the pairs first linked in 2006–2012; counted again from the CSV."""
    from click.testing import CliRunner

    from stigraph.cli import main

    source = DATA / "openalex-history" / "openalex_east_africa_edges_1990_2023.csv"
    out = tmp_path / "openalex.nt"
    import_openalex(source, out)
    first_year: dict[tuple[str, str], int] = {}
    with source.open() as f:
        for row in csv.DictReader(f):
            a, b = sorted((row["iso2_a"], row["iso2_b"]))
            if a != b and int(row["coauthored_works"]) > 0:
                first_year[(a, b)] = min(int(row["year"]), first_year.get((a, b), 9999))
    before = {p for p, y in first_year.items() if y <= 2005}
    active = {c for pair in before for c in pair}
    positives = {p for p, y in first_year.items()
                 if 2005 < y <= 2012 and p[0] in active and p[1] in active}
    candidates = len(active) * (len(active) - 1) // 2 - len(before)
    # --graph: the co-authorship network alone (countries are recognised by their IRI)
    result = CliRunner().invoke(main, ["evaluate", "--graph", str(out), "--split",
                                       "country-time", "--cutoff", "2005", "--as-of", "2012"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    # pairs first linked after 2012 are the negatives: there is something to rank
    assert {r["positives"] for r in rows} == {len(positives)}
    assert 5 <= len(positives) < candidates
    assert {r["candidates"] for r in rows} == {candidates}
    assert {r["split"] for r in rows} == {"country time split 2005-12-31"}


def test_country_time_split_needs_new_pairs(seed_build: BuildResult, tmp_path: Path) -> None:
    # the 2021–2023 sample has the same pairs every year: nothing to predict, a clear error
    out = tmp_path / "openalex.nt"
    import_openalex(DATA / "openalex", out)
    from click.testing import CliRunner

    from stigraph.cli import main

    result = CliRunner().invoke(main, ["evaluate", "--graph", str(out), "--split",
                                       "country-time", "--cutoff", "2021", "--as-of", "2023"])
    assert result.exit_code == 2 and "no country pairs were first linked after" in result.output


def test_a_subregional_club_is_not_recommended_outside_its_subregion() -> None:
    from stigraph.analytics.api import open_organisations
    from stigraph.projection.groups import CountryInfo

    def info(code: str, subregion: str) -> CountryInfo:
        return CountryInfo(iri=code, iso2=code, label=code, income="L", region="Asia",
                           subregion=subregion)

    infos = {"AF": info("AF", "Southern Asia"), "KH": info("KH", "South-eastern Asia"),
             "LA": info("LA", "South-eastern Asia"), "NP": info("NP", "Southern Asia")}
    graph = nx.Graph()
    graph.add_node("asean", kind="actor")
    graph.add_node("carec", kind="actor")
    for country in infos:
        graph.add_node(country, kind="country")
    graph.add_edge("KH", "asean", relation="membership")
    graph.add_edge("LA", "asean", relation="membership")
    graph.add_edge("NP", "carec", relation="membership")
    graph.add_edge("LA", "carec", relation="membership")
    opened = open_organisations(graph, infos, ["AF", "KH"])
    assert "asean" not in opened["AF"] and "carec" in opened["AF"]
    assert "asean" in opened["KH"]


@pytest.mark.parametrize("args", [
    ["recommend", "--country", "KE", "--top", "3"],
    ["gaps", "--group", "LDC"],
    ["centrality", "--group", "LDC"],
    ["evaluate", "--split", "time"],
])
def test_both_stores_give_the_same_output(args: list[str]) -> None:
    """Byte-identical answers from rdflib's store (rdflib's engine) and Oxigraph's engine."""
    pytest.importorskip("oxrdflib")
    from click.testing import CliRunner

    from stigraph.cli import main

    outputs = []
    for store in ("memory", "oxigraph"):
        result = CliRunner().invoke(main, [*args, "--store", store])
        assert result.exit_code == 0, result.output
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] and json.loads(outputs[0])
