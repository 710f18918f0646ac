"""The command line: every command documented, outputs in each format, exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from stigraph.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"
MINI = ["--no-default-seeds", "--seeds",
        str(Path(__file__).resolve().parent / "fixtures" / "mini-seeds")]


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((prefix + name, command))
        if isinstance(command, click.Group):
            found += _commands(command, prefix + name + " ")
    return found


@pytest.mark.parametrize(("name", "command"), _commands(main), ids=lambda v: str(v))
def test_every_command_has_help_with_an_example_and_is_in_the_readme(
        name: str, command: click.Command) -> None:
    assert command.help, f"{name} has no help text"
    if not isinstance(command, click.Group):
        assert "Example" in command.help, f"{name}'s help has no runnable example"
    assert f"stigraph {name}" in README.read_text(encoding="utf-8"), f"{name} not in README"


def test_build_writes_graph_files_and_counts(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", *MINI, "--out", str(tmp_path), "--jsonld"])
    assert result.exit_code == 0, result.output
    counts = {row["what"]: row["count"] for row in json.loads(result.stdout)}
    assert counts["Country"] == 5 and counts["Actor"] == 3 and counts["Membership"] == 8
    # KE in the programme (memberships table), TZ in the test beds (relations table)
    assert counts["Participation"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "stigraph.jsonld", "stigraph.jsonld.check.json", "stigraph.nt",
        "stigraph.nt.check.json", "stigraph.ttl", "stigraph.ttl.check.json"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_query_formats(tmp_path: Path) -> None:
    runner = CliRunner()
    graph = tmp_path / "g.ttl"
    runner.invoke(main, ["build", *MINI, "--out", str(tmp_path), "--name", "g"])
    base = ["query", "members", "--graph", str(graph), "--param", "organisation=lab",
            "--param", "as_of=2000-01-01"]
    as_json = runner.invoke(main, base)
    assert as_json.exit_code == 0, as_json.output
    assert {r["memberLabel"] for r in json.loads(as_json.stdout)} == {
        "France", "Switzerland", "United Republic of Tanzania"}
    as_csv = runner.invoke(main, [*base, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["memberLabel"] for r in rows] == ["France", "Switzerland",
                                                "United Republic of Tanzania"]
    table = runner.invoke(main, [*base, "--format", "table"])
    assert table.stdout.splitlines()[0].split() == ["member", "memberLabel", "role", "start",
                                                    "end", "sources"]


def test_query_list_names_every_query() -> None:
    result = CliRunner().invoke(main, ["query", "--list"])
    names = {row["name"] for row in json.loads(result.stdout)}
    assert {"cooperation-partners", "members", "actors-in-area", "developing-without-area",
            "path"} <= names


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "nope"], "no sparql query named 'nope'"),
        (["query", "members", "--param", "organisation"], "write NAME=VALUE"),
        (["query", "cooperation-partners", "--param", "entity=ZZ"], "unknown country code 'ZZ'"),
        (["query", "members", "--param", "organisation=lab", "--param", "as_of=soon"],
         "is not a date"),
    ],
)
def test_query_errors_exit_2_without_traceback(tmp_path: Path, args: list[str],
                                               message: str) -> None:
    runner = CliRunner()
    runner.invoke(main, ["build", *MINI, "--out", str(tmp_path)])
    result = runner.invoke(main, [*args, "--graph", str(tmp_path / "stigraph.ttl")])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and "stigraph" in result.output


def test_build_takes_a_membership_file_of_any_name(tmp_path: Path) -> None:
    extra = tmp_path / "kenya-joins.csv"
    extra.write_text("member,organisation,role,start,end,amount,currency,source,note\n"
                     "KE,lab,associate-member,2024,,,,https://example.org/news,\n")
    runner = CliRunner()
    result = runner.invoke(main, ["build", *MINI, "--memberships", str(extra), "--out",
                                  str(tmp_path)])
    assert result.exit_code == 0, result.output
    members = runner.invoke(main, ["query", "members", "--graph", str(tmp_path / "stigraph.ttl"),
                                   "--param", "organisation=lab", "--param", "as_of=2024-12-31"])
    assert members.exit_code == 0, members.output
    assert "Kenya" in {row["memberLabel"] for row in json.loads(members.stdout)}


def test_readme_sections_are_merged() -> None:
    """README.md carries the current docs/readme/*.md sections (tools/merge_readme.py)."""
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, str(root / "tools" / "merge_readme.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


GRAPH_SOURCE = {"--graph", "--seeds", "--include", "--no-default-seeds", "--store",
                "--memberships"}


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found.extend(_commands(command, f"{prefix}{name} "))
        else:
            found.append((prefix + name, command))
    return found


@pytest.mark.parametrize(("name", "command"), _commands(main))
def test_commands_share_one_option_layer(name: str, command: click.Command) -> None:
    options = {opt for param in command.params for opt in param.opts}
    reads_graph = name in {"build", "validate", "query", "centrality", "communities", "gaps",
                           "recommend", "evaluate", "report", "viz", "load"}
    if reads_graph:
        assert options >= GRAPH_SOURCE, f"{name} lacks {GRAPH_SOURCE - options}"
    out = next((p for p in command.params if "--out" in p.opts), None)
    if out is not None:  # --out always says whether it is a file or a folder
        assert (out.help or "").startswith(("File to write", "Folder to write")), name
    assert command.help and "Example" in command.help, f"{name} has no example in its help"


def test_dates_take_one_syntax_everywhere(tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["build", *MINI, "--out", str(tmp_path)])
    graph = ["--graph", str(tmp_path / "stigraph.ttl"), "--format", "csv"]
    by_year = runner.invoke(main, ["query", "members", "--param", "organisation=lab",
                                   "--param", "as_of=2020", *graph])
    by_day = runner.invoke(main, ["query", "members", "--param", "organisation=lab",
                                  "--param", "as_of=2020-12-31", *graph])
    assert by_year.exit_code == 0, by_year.output
    assert by_year.output == by_day.output
    bad = runner.invoke(main, ["centrality", "--as-of", "20x0", *graph])
    assert bad.exit_code == 2 and "is not a date" in bad.output


def test_analytics_say_how_many_uncertain_facts_they_leave_out(tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["build", *MINI, "--out", str(tmp_path)])
    graph = ["--graph", str(tmp_path / "stigraph.ttl"), "--format", "csv"]
    # the mini lab's members: FR from "1954" (uncertain all through 1954), CH from 1954-09-29
    uncertain = runner.invoke(main, ["query", "uncertain-facts", "--param", "as_of=1954-10-01",
                                     *graph])
    expected = len(uncertain.output.strip().splitlines()) - 1
    assert expected >= 2
    result = runner.invoke(main, ["centrality", "--as-of", "1954-10-01", *graph])
    assert result.exit_code == 0, result.output
    assert f"{expected} membership(s) with dates uncertain on 1954-10-01 left out" in \
        result.output
    certain = runner.invoke(main, ["centrality", "--as-of", "1956-01-01", *graph])
    assert "uncertain" not in certain.output
