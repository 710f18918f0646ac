"""Hand-made graphs for tests: Turtle text built, without the project's seeds, on a store."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from stigraph.build.builder import build_graph


def hand_graph(text: str, store: str, folder: Path) -> Graph:
    """The graph of the Turtle ``text`` (with the ontology, date bounds derived) on ``store``;
    the text is written to ``folder``/hand.ttl first, as a user's include file."""
    path = Path(folder) / "hand.ttl"
    path.write_text(text, encoding="utf-8")
    return build_graph(store=store, include=[path], default_seeds=False).graph
