"""Benchmark: the country profiles section of the report and ``stigraph partners`` on the
default graph (seeds plus the shipped data), the new readers against the old path, measured
in the same run, each in its own process (wall time and peak resident memory).

Variants, each a fresh process that opens the graph (the kept graph with ``--cache-dir``)
and computes what the report computes before its sections (``inputs``: the consortia, the
membership facts, the country network and its evidence layers, the country–organisation and
cooperation graphs, the country infos):

- ``section-new``  :func:`stigraph.outputs.report.profiles.report_section` as it is: the
  inputs' consortia, facts and OpenAlex layer reused (without the layer every country's
  co-authorship in one pass, :func:`~stigraph.projection.partners.coauthorship_index`), the
  CORDIS facets and the countries' memberships by triple patterns
  (:func:`~stigraph.projection.partners.project_facets`,
  :func:`~stigraph.outputs.report.profiles.country_memberships`);
- ``section-old``  the same section through the path before: the consortia and facts read
  again, the co-authorship rows country by country, the facets and the memberships by the
  queries ``evidence-project-facets`` and ``country-memberships``. The two folders written
  must be byte for byte the same;
- ``partners-new`` / ``partners-old``  Kenya's partner rows (both kinds): with the entity's
  sources (:func:`~stigraph.projection.partners.entity_consortia`, its memberships' facts)
  and with the whole graph's (the path before); the rows must be the same.

With ``--cache-dir`` the commands ``stigraph partners KE`` and ``stigraph recommend
--country KE`` are also timed end to end, warm (the kept graph open in about a second; a
first run may build the graph or train the model, so each is run once before it is timed).

Usage::

    .venv/bin/python benchmarks/bench_profiles.py --cache-dir DIR [--as-of 2024-06-30]
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from rdflib import URIRef

from stigraph.build.builder import GraphSource, open_graph
from stigraph.outputs.report import profiles
from stigraph.projection.evidence import EvidenceOptions
from stigraph.projection.inputs import AnalysisInputs
from stigraph.projection.partners import (
    PartnerSources,
    coauthorship_rows,
    partner_rows,
    partners,
    ranked_rows,
)
from stigraph.queries.sparql import resolve_in_graph, run_sparql
from stigraph.vocab.labels import label_of


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _OldSources(PartnerSources):
    """The sources as they were: co-authorship read country by country."""

    def works_of(self, country: str) -> list[dict[str, Any]]:
        if country not in self._works:
            self._works[country] = [
                {"a": a, "b": b, "year": year, "works": works}
                for a, b, year, works in coauthorship_rows(self.graph, country, self.options)
                if country in (a, b) and a != b]
        return self._works[country]


class _OldData(profiles.ProfileData):
    """The profiles' shared reads as they were."""

    def __init__(self, inputs: AnalysisInputs) -> None:
        super().__init__(inputs)
        self.sources = _OldSources(self.rdf, EvidenceOptions(as_of=self.as_of))

    @property
    def memberships(self) -> dict[str, list[dict[str, Any]]]:
        if "_old_memberships" not in self.__dict__:
            out: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for row in run_sparql(self.rdf, "country-memberships", {}):
                if not row["start"] or str(row["start"]) <= self.as_of:
                    out[str(row["member"])].append(row)
            self.__dict__["_old_memberships"] = out
        memberships: dict[str, list[dict[str, Any]]] = self.__dict__["_old_memberships"]
        return memberships

    @property
    def facets(self) -> dict[str, list[tuple[str, str]]]:
        if "_old_facets" not in self.__dict__:
            out: dict[str, list[tuple[str, str]]] = defaultdict(list)
            if self.sources.projects:
                for row in run_sparql(self.rdf, "evidence-project-facets", {}):
                    out[str(row["project"])].append((str(row["facet"]), str(row["value"])))
            self.__dict__["_old_facets"] = out
        facets: dict[str, list[tuple[str, str]]] = self.__dict__["_old_facets"]
        return facets


def _source(args: argparse.Namespace) -> GraphSource:
    return GraphSource(default_data=True, cache_dir=args.cache_dir)


def _variant(args: argparse.Namespace) -> dict[str, Any]:
    """One variant in this process: its timings, peak memory and output."""
    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    graph = open_graph(_source(args)).graph
    seconds["open"] = time.perf_counter() - clock
    options = EvidenceOptions(as_of=args.as_of)
    kenya = str(resolve_in_graph(graph, "KE"))
    out: dict[str, Any] = {"variant": args.variant}
    if args.variant.startswith("partners"):
        clock = time.perf_counter()
        rows = {}
        for kind in ("countries", "organisations"):
            if args.variant == "partners-new":
                rows[kind] = partner_rows(graph, kenya, kind=kind, options=options)
            else:
                found = partners(graph, kenya, kind=kind, options=options,
                                 sources=PartnerSources(graph, options))
                rows[kind] = ranked_rows(found, lambda key: label_of(graph, URIRef(key)))
        seconds["partners"] = time.perf_counter() - clock
        out["rows"] = rows
    else:
        clock = time.perf_counter()
        inputs = AnalysisInputs(graph, as_of=args.as_of)
        _ = (inputs.consortia, inputs.facts, inputs.country_country,
             inputs.country_organisation, inputs.cooperation, inputs.infos)
        seconds["inputs"] = time.perf_counter() - clock
        clock = time.perf_counter()
        data = (profiles.ProfileData(inputs) if args.variant == "section-new"
                else _OldData(inputs))
        written, files = profiles.write_profiles(data, args.out)
        seconds["section"] = time.perf_counter() - clock
        out.update(countries=len(written), files=len(files))
    out.update(seconds={k: round(v, 2) for k, v in seconds.items()}, peak_mib=round(_peak_mib()))
    return out


def _child(args: argparse.Namespace, variant: str, folder: Path | None = None
           ) -> dict[str, Any]:
    command = [sys.executable, __file__, "--variant", variant, "--as-of", args.as_of]
    if args.cache_dir:
        command += ["--cache-dir", str(args.cache_dir)]
    if folder is not None:
        command += ["--out", str(folder)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _command(args: argparse.Namespace, *words: str) -> dict[str, Any]:
    """A stigraph command, warm: wall time and peak memory of its process (os.wait4)."""
    env = {**os.environ, "STIGRAPH_CACHE_DIR": str(args.cache_dir)}
    command = [str(Path(sys.executable).with_name("stigraph")), *words]
    subprocess.run(command, check=True, capture_output=True, env=env)  # warm up
    clock = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=env)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - clock
    if status != 0:
        raise SystemExit(f"{' '.join(words)} failed ({status})")
    return {"command": "stigraph " + " ".join(words), "seconds": round(seconds, 2),
            "peak_mib": round(usage.ru_maxrss / 1024)}


def _same_folders(a: Path, b: Path) -> bool:
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    if files_a != files_b:
        return False
    _match, mismatch, errors = filecmp.cmpfiles(a, b, [str(p) for p in files_a], shallow=False)
    return not mismatch and not errors


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--as-of", default="2024-06-30")
    parser.add_argument("--cache-dir", type=Path, help="Where the kept default graph is "
                        "(the STIGRAPH_CACHE_DIR of the commands); without it each variant "
                        "builds the graph and the commands are not timed.")
    parser.add_argument("--variant", choices=("section-new", "section-old", "partners-new",
                                              "partners-old"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        print(json.dumps(_variant(args)))
        return
    report: dict[str, Any] = {"as_of": args.as_of, "data": "default (seeds + shipped data)"}
    with tempfile.TemporaryDirectory(prefix="bench-profiles-") as temporary:
        folders = {v: Path(temporary) / v for v in ("section-old", "section-new")}
        runs = {v: _child(args, v, folder) for v, folder in folders.items()}
        runs.update({v: _child(args, v) for v in ("partners-old", "partners-new")})
        report["same_profiles"] = _same_folders(folders["section-old"],
                                                folders["section-new"])
    report["same_partner_rows"] = runs["partners-old"].pop("rows") == runs["partners-new"].pop(
        "rows")
    report["runs"] = runs
    report["section_old_over_new"] = round(runs["section-old"]["seconds"]["section"]
                                           / runs["section-new"]["seconds"]["section"], 2)
    report["partners_old_over_new"] = round(runs["partners-old"]["seconds"]["partners"]
                                            / runs["partners-new"]["seconds"]["partners"], 2)
    if args.cache_dir:
        report["commands"] = [
            _command(args, "partners", "KE", "--top", "10"),
            _command(args, "recommend", "--country", "KE", "--top", "10")]
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
