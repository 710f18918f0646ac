"""One display label per node, the same on every store.

A node may carry labels in several languages (areas have ``"Research funding"@en`` and
``"研究资金"@zh``). ``Graph.value`` returns whichever the store yields first, which differs
between rdflib's memory store and Oxigraph, so labels are chosen here by a fixed preference.
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from stigraph.vocab.namespaces import RDFS, SKOS, iri_key

__all__ = ["LABEL_PROPERTIES", "best_label", "label_of"]

LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel)


def _rank(value: Node) -> tuple[int, str]:
    lang = value.language if isinstance(value, Literal) else None
    return (0 if lang == "en" else 1 if not lang else 2, str(value))


def label_of(graph: Graph, node: str | URIRef,
             properties: Sequence[URIRef] = LABEL_PROPERTIES) -> str:
    """The node's label: first property that has one; English, then untagged, then the first
    in text order; the IRI's last segment without any label.

    >>> g = Graph()
    >>> n = URIRef("https://w3id.org/stigraph/id/area/x")
    >>> _ = g.add((n, SKOS.prefLabel, Literal("研究资金", lang="zh")))
    >>> _ = g.add((n, SKOS.prefLabel, Literal("Research funding", lang="en")))
    >>> label_of(g, n), label_of(g, URIRef("https://w3id.org/stigraph/id/area/y"))
    ('Research funding', 'y')
    """
    ref = URIRef(str(node))
    for prop in properties:
        values = list(graph.objects(ref, prop))
        if values:
            return best_label(values)
    return iri_key(str(node))


def best_label(values: Sequence[Node]) -> str:
    """Of several values of one label property: English, then untagged, then the first in text
    order (the choice :func:`label_of` makes)."""
    return str(min(values, key=_rank))
