"""The definitions of "developing": the DAC rule recomputed from the seed CSV files with csv,
and the Republic of Korea (a DAC member, high income) developing only by the 2020 M49 flag."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from stigraph.analytics.developing import G8, developing_countries
from stigraph.build.builder import build_graph
from stigraph.errors import ParameterError
from stigraph.projection.groups import countries

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def read(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def graph():  # type: ignore[no-untyped-def]
    return build_graph().graph


@pytest.mark.parametrize("as_of", ["2010-06-30", "2024-06-30"])
def test_dac_rule_from_the_csv_files(graph, as_of: str) -> None:  # type: ignore[no-untyped-def]
    year = int(as_of[:4])
    incomes: dict[str, dict[int, str]] = {}
    for row in read("income-groups.csv"):
        if int(row["fiscal_year"]) <= year:
            incomes.setdefault(row["iso2"], {})[int(row["fiscal_year"])] = row["income_group"]
    ldc = {r["iso2"] for r in read("country-groups.csv") if r["group"] == "ldc"}
    eu = {r["member"] for r in read("memberships-eu.csv")
          if r["start"] <= as_of and (not r["end"] or r["end"] >= as_of)}
    expected = set(ldc)
    for code, years in incomes.items():
        last = [years[y] for y in sorted(years)[-3:]]
        if code not in G8 and code not in eu and any(c != "H" for c in last):
            expected.add(code)
    infos = countries(graph, year=year)
    expected &= {i.iso2 for i in infos.values()}
    got = developing_countries(graph, "dac", as_of=as_of)
    assert {infos[i].iso2 for i in got.members} == expected
    assert "OECD DAC List" in got.statement and got.source.startswith("https://www.oecd.org/")


def test_korea_is_developing_only_by_the_m49_flag(graph) -> None:  # type: ignore[no-untyped-def]
    infos = countries(graph, year=2024)
    korea = next(i for i, info in infos.items() if info.iso2 == "KR")
    kenya = next(i for i, info in infos.items() if info.iso2 == "KE")
    by = {d: developing_countries(graph, d, as_of="2024-06-30").members
          for d in ("dac", "m49", "income")}
    assert korea in by["m49"] and korea not in by["dac"] and korea not in by["income"]
    assert all(kenya in members for members in by.values())
    # Bulgaria: upper-middle income until FY2024, but an EU member: not on the DAC rule
    bulgaria = next(i for i, info in infos.items() if info.iso2 == "BG")
    assert bulgaria in by["income"] and bulgaria not in by["dac"]
    with pytest.raises(ParameterError, match="use dac, m49, income"):
        developing_countries(graph, "oecd", as_of="2024-06-30")
