"""Seed files with confusing damage (issue 12, items 8-9): the message says what is wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stigraph.build.seedtables import read_table
from stigraph.errors import SeedError

MINI_SEEDS = Path(__file__).resolve().parent / "fixtures" / "mini-seeds"


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copy(MINI_SEEDS / name, target)
    return target


def test_semicolon_seed_file_gets_a_delimiter_hint(tmp_path: Path) -> None:
    path = _copy(tmp_path, "memberships.csv")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",", ";"), encoding="utf-8")
    with pytest.raises(SeedError, match=r"missing column.*separated by ';'; seed files use ','"):
        list(read_table(path, "memberships"))


def test_unclosed_quote_over_the_field_limit_names_its_start(tmp_path: Path) -> None:
    path = _copy(tmp_path, "memberships.csv")
    text = path.read_text(encoding="utf-8")
    start = text.count("\n") + 1
    note = "x" * 1_000_000
    path.write_text(text + f'KE,lab,member,2020,,,,para 11,"{note}\n', encoding="utf-8")
    with pytest.raises(SeedError) as info:
        list(read_table(path, "memberships"))
    assert info.value.line == start
    assert "broken CSV quoting" not in info.value.message
    assert f"row starting on line {start}" in info.value.message
    assert "never closed" in info.value.message


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x9b"])
def test_control_characters_in_a_seed_cell_are_rejected(tmp_path: Path, char: str) -> None:
    path = _copy(tmp_path, "memberships.csv")
    text = path.read_text(encoding="utf-8")
    line = text.count("\n") + 1
    path.write_text(text + f"KE,lab,member,2020,,,,para 11,bad{char}note\n", encoding="utf-8")
    with pytest.raises(SeedError) as info:
        list(read_table(path, "memberships"))
    assert (info.value.path, info.value.line) == (path, line)
    assert f"note contains the control character U+{ord(char):04X}" in info.value.message


def test_tab_and_line_breaks_inside_quotes_are_not_control_characters(tmp_path: Path) -> None:
    path = _copy(tmp_path, "memberships.csv")
    text = path.read_text(encoding="utf-8")
    path.write_text(text + 'KE,lab,member,2020,,,,para 11,"two\tparts\nand lines"\n',
                    encoding="utf-8")
    rows = list(read_table(path, "memberships"))
    assert rows[-1].cells["note"] == "two\tparts\nand lines"


def test_a_stray_quote_does_not_swallow_the_rows_after_it(tmp_path: Path) -> None:
    path = _copy(tmp_path, "memberships.csv")
    text = path.read_text(encoding="utf-8")
    start = text.count("\n") + 1
    rows = ['KE,lab,member,2020,,,,para 11,"opened here', "UG,lab,member,2021,,,,para 11,",
            'TZ,lab,member,2022,,,,para 11,closed"']
    path.write_text(text + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(SeedError) as info:
        list(read_table(path, "memberships"))
    assert info.value.line == start
    assert f"runs on over line {start + 1}, which looks like a row" in info.value.message
