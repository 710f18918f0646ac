"""Every option a message mentions exists on the command that prints it.

For each click command: its help, its options' help and every string in its callback's source
(error messages, hints, examples) are searched for ``--option`` names. An option that follows
``stigraph CMD [SUB]`` on the same line belongs to that command; any other belongs to the
command printing it. Strings of the report's library modules (which ``stigraph report``
prints, in the page or as errors) must name options of ``report``, and any other library
string must name an option some command has.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Iterator
from pathlib import Path

import click

from stigraph.cli import main

PACKAGE = Path(__file__).resolve().parent.parent / "stigraph"
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*[a-z0-9]")
NAMED = re.compile(r"stigraph((?: [a-z][a-z-]*)+)")


def _commands(group: click.Command, path: tuple[str, ...] = ()) -> Iterator[
        tuple[tuple[str, ...], click.Command]]:
    yield path, group
    if isinstance(group, click.Group):
        for name, command in group.commands.items():
            yield from _commands(command, (*path, name))


COMMANDS = dict(_commands(main))


def _options(command: click.Command) -> set[str]:
    names = {"--help"}
    for param in command.params:
        names.update(o for o in (*param.opts, *param.secondary_opts) if o.startswith("--"))
    return names


def _strings(source: str) -> Iterator[str]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def _texts(command: click.Command) -> Iterator[str]:
    yield command.help or ""
    yield command.epilog or ""
    for param in command.params:
        yield getattr(param, "help", None) or ""
    if command.callback is not None:
        function = inspect.unwrap(command.callback)
        yield from _strings(inspect.cleandoc("\n" + inspect.getsource(function)))


def _owner(line: str, at: int, default: tuple[str, ...]) -> tuple[str, ...]:
    """The command an option at ``at`` in ``line`` belongs to: the last ``stigraph CMD``
    before it on the line (the longest path that is a command), else ``default``."""
    owner = default
    for match in NAMED.finditer(line[:at]):
        words = tuple(match.group(1).split())
        for n in range(len(words), 0, -1):
            if words[:n] in COMMANDS:
                owner = words[:n]
                break
    return owner


def _wrong(text: str, default: tuple[str, ...]) -> Iterator[str]:
    # an example continued with a backslash is one command line
    for line in re.sub(r"\\\n\s*", " ", text).splitlines():
        for match in OPTION.finditer(line):
            owner = _owner(line, match.start(), default)
            if match.group(0) not in _options(COMMANDS[owner]):
                yield f"stigraph {' '.join(owner)}: {match.group(0)} in {line.strip()!r}"


def test_every_command_names_only_its_own_options() -> None:
    wrong = [problem for path, command in COMMANDS.items() if path
             for text in _texts(command) for problem in _wrong(text, path)]
    assert wrong == []


def test_the_report_names_only_report_options() -> None:
    # views.py is `stigraph viz`'s library function, not the report's
    modules = [p for p in sorted((PACKAGE / "outputs" / "report").glob("*.py"))
               if p.name != "views.py"]
    wrong = [f"{path.name}: {problem}" for path in modules
             for text in _strings(path.read_text(encoding="utf-8"))
             for problem in _wrong(text, ("report",))]
    assert len(modules) > 5 and wrong == []


def test_library_messages_name_options_that_exist() -> None:
    every = set().union(*(_options(c) for c in COMMANDS.values()))
    # neo4j/server.py has its own command line (make neo4j-up) and passes options to Java
    wrong = [f"{path.relative_to(PACKAGE)}: {option}"
             for path in sorted(PACKAGE.rglob("*.py"))
             if "cli" not in path.parts and path.name != "server.py"
             for text in _strings(path.read_text(encoding="utf-8"))
             for option in OPTION.findall(text) if option not in every]
    assert wrong == []


def test_the_checker_finds_a_missing_option() -> None:
    assert list(_wrong("choose an earlier --cutoff", ("report",)))
    assert not list(_wrong("run stigraph evaluate --cutoff 2019", ("report",)))
    assert not list(_wrong("give --cutoff", ("evaluate",)))
    assert not list(_wrong("stigraph import cordis DIR --out x.nt \\\n  --rejects r.csv",
                           ("report",)))
