"""Recommendations as RDF (``stig:PredictedLink``), kept apart from asserted facts."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef

from stigraph.analytics.records import Recommendation
from stigraph.vocab.namespaces import DCTERMS, RDF, RDFS, STIG, XSD, instance_iri

__all__ = ["predicted_links_rdf"]


def predicted_links_rdf(recommendations: Iterable[Recommendation], *,
                        as_of: str | None = None) -> Graph:
    """Recommendations as RDF, apart from asserted facts.

    Each becomes a ``stig:PredictedLink`` (an ``rdf:Statement`` with ``rdf:subject``,
    ``rdf:predicate stig:recommendedLink``, ``rdf:object``, ``stig:score``, ``stig:method``,
    ``stig:explanation``, ``stig:provenance stig:Predicted`` and ``dct:date`` = the as-of date)
    plus the direct edge ``subject stig:recommendedLink object``, which the Neo4j loader carries
    as its own relationship type ``RECOMMENDED_LINK``.
    """
    g = Graph()
    g.bind("stig", STIG)
    g.bind("dct", DCTERMS)
    for rec in recommendations:
        subject, obj = URIRef(str(rec.source)), URIRef(str(rec.target))
        method = rec.method
        key = hashlib.sha1(f"{subject}\x1f{obj}\x1f{method}\x1f{as_of or ''}".encode()
                           ).hexdigest()[:16]
        node = instance_iri("prediction", key)
        g.add((node, RDF.type, STIG.PredictedLink))
        g.add((node, RDF.type, RDF.Statement))
        g.add((node, RDF.subject, subject))
        g.add((node, RDF.predicate, STIG.recommendedLink))
        g.add((node, RDF.object, obj))
        g.add((node, STIG.score, Literal(float(rec.score), datatype=XSD.double)))
        g.add((node, STIG.method, Literal(method)))
        g.add((node, STIG.explanation, Literal(rec.explanation)))
        g.add((node, STIG.provenance, STIG.Predicted))
        g.add((node, RDFS.label, Literal(f"{rec.country_label} → {rec.target_label} "
                                         f"({method})")))
        if as_of:
            g.add((node, DCTERMS.date, Literal(as_of, datatype=XSD.date)))
        g.add((subject, STIG.recommendedLink, obj))
    return g
