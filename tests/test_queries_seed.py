"""Named queries on the project's seed graph, against facts checked by hand at their source.

ASEAN: founded 8 August 1967 by Indonesia, Malaysia, the Philippines, Singapore and Thailand;
Brunei joined in 1984, Viet Nam in 1995, Lao PDR and Myanmar in 1997, Cambodia in 1999;
Timor-Leste was an observer from 2022 and became the eleventh member on 26 October 2025.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from stigraph.build.builder import BuildResult
from stigraph.queries.sparql import run_sparql
from stigraph.vocab.namespaces import actor_iri, country_iri, initiative_iri

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

FOUNDERS = {"ID", "MY", "PH", "SG", "TH"}


def _asean(build: BuildResult, as_of: str, role: str = "member") -> set[str]:
    rows = run_sparql(build.graph, "members", {"organisation": "asean", "as_of": as_of})
    return {r["member"].rsplit("/", 1)[-1] for r in rows if r["role"] == role}


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("1967-08-07", set()),
        ("1967-08-08", FOUNDERS),
        ("1990-01-01", FOUNDERS | {"BN"}),
        ("2000-01-01", FOUNDERS | {"BN", "VN", "LA", "MM", "KH"}),
        ("2026-01-01", FOUNDERS | {"BN", "VN", "LA", "MM", "KH", "TL"}),
    ],
)
def test_asean_members_as_of(seed_build: BuildResult, as_of: str, expected: set[str]) -> None:
    assert _asean(seed_build, as_of) == expected


def test_timor_leste_observer_then_member(seed_build: BuildResult) -> None:
    assert _asean(seed_build, "2023-06-01", "observer") == {"TL"}
    assert _asean(seed_build, "2026-01-01", "observer") == set()


def test_every_asean_membership_cites_a_web_page(seed_build: BuildResult) -> None:
    rows = run_sparql(seed_build.graph, "members", {"organisation": "asean",
                                                     "as_of": "2026-01-01"})
    assert rows and all(r["sources"].startswith("https://") for r in rows)


def test_cooperation_partners_of_asean_include_its_members(seed_build: BuildResult) -> None:
    rows = run_sparql(seed_build.graph, "cooperation-partners", {"entity": "asean"})
    members = {r["partner"] for r in rows if r["via"] == "member"}
    assert {str(country_iri(c)) for c in FOUNDERS | {"BN", "VN", "LA", "MM", "KH", "TL"}} <= members
    runs = {r["partner"] for r in rows if r["via"] == "runs"}
    assert str(initiative_iri("asean-sti-plan-2016-2025")) in runs  # para 11


def test_actors_in_testbeds(seed_build: BuildResult) -> None:
    rows = run_sparql(seed_build.graph, "actors-in-area", {"area": "testbeds"})
    actors = {r["actor"] for r in rows}
    # para 35 (EU Open Innovation Test Beds) and para 36 (Industry IoT Consortium).
    assert {str(actor_iri("european-union")), str(actor_iri("industry-iot-consortium"))} <= actors


def test_path_from_kenya_to_the_green_climate_fund(seed_build: BuildResult) -> None:
    rows = run_sparql(seed_build.graph, "path", {"source": "KE", "target": "gcf"})
    assert rows[0]["length"] == 1  # Kenya hosts GCF-funded projects (seeds/memberships-gcf.csv)


def test_developing_without_area_are_developing_countries(seed_build: BuildResult) -> None:
    rows = run_sparql(seed_build.graph, "developing-without-area", {"area": "testbeds"})
    codes = {r["iso2"] for r in rows}
    assert codes and "FR" not in codes and "DE" not in codes  # developed countries never listed
    assert len(codes) <= 182  # the developing group of the UN M49 2020 file


def _associated(build: BuildResult, as_of: str) -> set[str]:
    rows = run_sparql(build.graph, "members", {"organisation": "horizon-europe", "as_of": as_of})
    return {row["member"].rsplit("/", 1)[-1] for row in rows}


def test_horizon_europe_associations_count_from_their_decision(seed_build: BuildResult) -> None:
    """Norway's association was decided by the EEA on 2021-09-24 and applies from 2021-01-01:
    before the decision nothing may learn from it; before the programme nobody is associated."""
    assert _associated(seed_build, "2020-12-31") == set()
    assert "NO" not in _associated(seed_build, "2021-09-23")
    assert "NO" in _associated(seed_build, "2021-09-24")
    with open(SEEDS / "memberships-horizon-europe.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # every association certainly in force (applied from and decided by the date) is listed
    day = "2024-06-30"
    expected = {r["member"] for r in rows
                if len(r["start"]) == 10 and len(r.get("decided") or "0000-00-00") == 10
                and max(r["start"], r.get("decided") or "") <= day and not r.get("end")}
    assert expected and expected <= _associated(seed_build, day)
