"""Numbers in the report's sentences, computed from the tables they describe.

A sentence that states a number about a table takes the number from the table itself
(:func:`stated`), so the two cannot disagree, and the page marks it with the table and the
measure (``<data value="182" data-table="gaps-by-group.csv" data-measure="cell:…">``) so that
a reader or a test can check it against the table on the page.

Measures (``KIND[:COLUMN][|KEY=VALUE or |KEY>NUMBER]``, the filter keeping matching rows):

- ``rows`` — how many rows; ``head:N`` — how many are shown when at most N are;
- ``sum:COL`` — the sum of a numeric column; ``nonempty:COL`` — rows with a value in it;
- ``distinct:COL`` — how many different values it has; ``cell:COL`` — its one value.

>>> from stigraph.outputs.report.model import Table
>>> t = Table(columns=["group", "countries"], rows=[["LDC", 45], ["SIDS", 39]])
>>> measure(t, "sum:countries"), measure(t, "cell:countries|group=SIDS"), measure(t, "rows")
(84, 39, 2)
>>> sentence("The ", stated(t, "rows"), " groups.").plain
'The 2 groups.'
"""

from __future__ import annotations

import re

import networkx as nx

from stigraph.errors import StigraphError
from stigraph.outputs.report.model import Cell, Num, Sentence, Table, plain_text
from stigraph.outputs.report.render import format_number

__all__ = ["counted", "graph_size", "measure", "sentence", "setting", "stated"]

_SPEC = re.compile(r"^(?P<kind>rows|head|sum|nonempty|distinct|cell)(?::(?P<arg>[^|]+))?"
                   r"(?:\|(?P<key>[^=>]+)(?P<op>[=>])(?P<value>.*))?$")


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    return plain_text(value) if isinstance(value, str) else str(getattr(value, "plain", value))


def _column(table: Table, name: str) -> int:
    try:
        return table.columns.index(name)
    except ValueError:
        raise StigraphError(f"table {table.csv or table.caption!r} has no column {name!r}") \
            from None


def _kept(table: Table, key: str | None, op: str | None, value: str | None) -> list[list[Cell]]:
    if key is None:
        return table.rows
    i = _column(table, key)
    if op == "=":
        return [r for r in table.rows if _text(r[i]) == value]
    return [r for r in table.rows
            if isinstance(r[i], int | float) and float(r[i]) > float(value or 0)]  # type: ignore[arg-type]


def measure(table: Table, spec: str) -> int | float:
    """The number ``spec`` (see the module's docstring) reads from ``table``."""
    match = _SPEC.match(spec)
    if match is None:
        raise StigraphError(f"unknown table measure {spec!r}")
    kind, arg = match["kind"], match["arg"]
    rows = _kept(table, match["key"], match["op"], match["value"])
    if kind == "rows":
        return len(rows)
    if kind == "head":
        return min(int(arg), len(rows))
    return _of_column(table, spec, kind, [r[_column(table, arg)] for r in rows])


def _of_column(table: Table, spec: str, kind: str, values: list[Cell]) -> int | float:
    if kind == "nonempty":
        return sum(1 for v in values if _text(v) != "")
    if kind == "distinct":
        return len({_text(v) for v in values})
    if kind == "sum":
        return sum(v for v in values if isinstance(v, int | float))
    distinct = {v for v in values if isinstance(v, int | float)}
    if len(distinct) != 1:
        raise StigraphError(f"{spec!r} in table {table.csv!r} matches {len(distinct)} values")
    return distinct.pop()


def stated(table: Table, spec: str) -> Num:
    """The number ``spec`` of ``table``, marked with where it comes from."""
    value = measure(table, spec)
    return Num(value=value, text=format_number(value), table=table.csv or "", measure=spec)


def graph_size(name: str, graph: nx.Graph, what: str) -> Num:
    """The number of nodes or edges (``what``) of projection ``name`` (``graph/NAME.graphml``)."""
    value = graph.number_of_nodes() if what == "nodes" else graph.number_of_edges()
    return Num(value=value, text=format_number(value), graph=name, measure=what)


def setting(name: str, value: int | float, text: str | None = None) -> Num:
    """A setting of the run (seed, hold-out fraction …) as printed in a sentence."""
    return Num(value=value, text=text if text is not None else format_number(value),
               setting=name)


def sentence(*parts: str | Num | Sentence) -> Sentence:
    """One sentence from text and sourced numbers."""
    flat: list[str | Num] = []
    for part in parts:
        flat.extend(part.parts if isinstance(part, Sentence) else (part,))
    return Sentence(tuple(flat))


def counted(num: Num, one: str, many: str) -> Sentence:
    """``1 member`` or ``3 members``: the number and the noun that agrees with it."""
    return Sentence((num, " " + (one if num.value == 1 else many)))
