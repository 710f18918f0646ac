"""Programme gaps and recommendations use one eligibility rule
(stigraph.analytics.eligibility): neither lists a body the country cannot join."""

from __future__ import annotations

import networkx as nx

from stigraph.analytics import api, gaps
from stigraph.analytics.eligibility import open_organisations
from stigraph.build.builder import BuildResult
from stigraph.projection.groups import CountryInfo
from stigraph.projection.inputs import AnalysisInputs
from stigraph.vocab.namespaces import actor_iri, country_iri, initiative_iri


def _info(iso: str, region: str, subregion: str, income: str) -> CountryInfo:
    return CountryInfo(iri=iso, iso2=iso, label=iso, region=region, subregion=subregion,
                       income=income)


def test_the_rule_by_hand() -> None:
    infos = {"KE": _info("KE", "Africa", "Eastern Africa", "LM"),
             "UG": _info("UG", "Africa", "Eastern Africa", "L"),
             "TZ": _info("TZ", "Africa", "Eastern Africa", "LM"),
             "KH": _info("KH", "Asia", "South-eastern Asia", "LM"),
             "FR": _info("FR", "Europe", "Western Europe", "H")}
    G = nx.Graph()
    memberships = {"club-asia": ["KH"],          # another region
                   "club-rich": ["FR", "UG"],   # a regional member, but no income peer
                   "club-open": ["TZ", "FR"],   # a regional member who is a peer
                   "club-empty": []}            # no member country: open to all
    for org, members in memberships.items():
        G.add_node(org, kind="actor")
        G.add_edges_from((c, org, {"relation": "membership"}) for c in members)
    assert open_organisations(G, infos, ["KE"])["KE"] == {"club-open", "club-empty"}
    # the programme gaps keep only those bodies; without the rule the others come back
    B = nx.Graph([(c, org) for org, ms in memberships.items() for c in ms])
    # (peers by income: TZ and KH)
    listed = {r.target for r in gaps.open_programmes(B, infos, "KE")}
    assert listed == {"club-asia", "club-open"}
    kept = {r.target for r in gaps.open_programmes(
        B, infos, "KE", eligible=open_organisations(G, infos, ["KE"])["KE"])}
    assert kept == {"club-open"}


def test_kenya_gaps_and_recommendations_share_the_rule(seed_build: BuildResult) -> None:
    inputs = AnalysisInputs(seed_build.graph, as_of="2024-06-30")
    kenya = str(country_iri("KE"))
    listed = {str(r.target) for r in api.gaps_report(inputs, country="KE", kind="programmes")}
    eligible = {str(o) for o in open_organisations(inputs.cooperation, inputs.infos,
                                                   [kenya])[kenya]}
    assert listed and listed <= eligible
    for other_region in ("asean", "cyted"):
        assert str(actor_iri(other_region)) not in listed
    assert str(initiative_iri("carec")) not in listed
    recommended = {str(r.target) for r in api.recommend_report(
        inputs, country="KE", top=50, kinds=("actor", "initiative"))}
    assert recommended <= eligible
