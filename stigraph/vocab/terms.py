"""Vocabulary read from the ontology, not copied into Python: the kinds of actor and
initiative a seed row may name (``stig:Actor``, ``stig:Initiative`` and their subclasses), the
roles of memberships (``ontology/roles.ttl``) and the predicates a relations row may use
(``stig:seedRelation true``); plus the small fixed sets of country groups the seeds flag.

Adding a subclass, a role or a relation to the ontology makes it usable in the seeds, in the
messages that list what is allowed, and in the analytics that group by kind, with no Python
change. The ontology is read once per process.
"""

from __future__ import annotations

import functools

from rdflib import Graph, Literal, URIRef

from stigraph import resources
from stigraph.vocab.namespaces import RDF, RDFS, SKOS, STIG, XSD

__all__ = ["INCOME_GROUPS", "STATIC_GROUPS", "actor_kinds", "initiative_kinds", "local_name",
           "relation_predicates", "roles"]

#: The UN M49 flags of the country seeds (``country-groups.csv``): code -> label.
STATIC_GROUPS: dict[str, str] = {
    "ldc": "Least developed countries (UN M49)",
    "lldc": "Land-locked developing countries (UN M49)",
    "sids": "Small island developing States (UN M49)",
    "developed": "Developed regions (UN M49, 2020)",
    "developing": "Developing regions (UN M49, 2020)",
}

#: World Bank income group codes of ``income-groups.csv``: code -> label.
INCOME_GROUPS: dict[str, str] = {"L": "low income", "LM": "lower-middle income",
                                 "UM": "upper-middle income", "H": "high income"}


def local_name(iri: object) -> str:
    """The last segment of an IRI (after ``/`` or ``#``)."""
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@functools.lru_cache(maxsize=1)
def _ontology() -> Graph:
    from stigraph.errors import OntologyError
    from stigraph.store.files import parse_rdf_file

    graph = Graph()
    for path in resources.ontology_files():
        parse_rdf_file(graph, path, error=OntologyError)
    return graph


def _subclasses(root: URIRef) -> frozenset[str]:
    graph = _ontology()
    found = {root}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for child in graph.subjects(RDFS.subClassOf, parent):
            if isinstance(child, URIRef) and child not in found:
                found.add(child)
                frontier.append(child)
    return frozenset(local_name(c) for c in found if str(c).startswith(str(STIG)))


def actor_kinds() -> frozenset[str]:
    """``Actor`` and the local names of its subclasses.

    >>> {"Actor", "UNEntity", "University"} <= actor_kinds()
    True
    """
    return _subclasses(STIG.Actor)


def initiative_kinds() -> frozenset[str]:
    """``Initiative`` and the local names of its subclasses."""
    return _subclasses(STIG.Initiative)


def roles() -> frozenset[str]:
    """The notations of the roles in ``ontology/roles.ttl`` (``member``, ``observer``…)."""
    graph = _ontology()
    return frozenset(str(graph.value(role, SKOS.notation))
                     for role in graph.subjects(RDF.type, STIG.Role)
                     if graph.value(role, SKOS.notation) is not None)


def relation_predicates() -> frozenset[str]:
    """The local names of the properties marked ``stig:seedRelation true``."""
    graph = _ontology()
    marked = Literal(True, datatype=XSD.boolean)
    return frozenset(local_name(p) for p in graph.subjects(STIG.seedRelation, marked))
