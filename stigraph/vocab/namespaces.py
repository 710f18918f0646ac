"""The only place where stigraph spells IRIs.

Terms live under ``https://w3id.org/stigraph/ontology/`` (prefix ``stig:``); instances under
``https://w3id.org/stigraph/id/{kind}/{key}``.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

STIG = Namespace("https://w3id.org/stigraph/ontology/")
ID_BASE = "https://w3id.org/stigraph/id/"
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")

__all__ = [
    "DCAT",
    "DCTERMS",
    "ID_BASE",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "STIG",
    "XSD",
    "actor_iri",
    "area_iri",
    "country_iri",
    "group_iri",
    "income_group_iri",
    "initiative_iri",
    "instance_iri",
    "iri_key",
    "project_iri",
    "region_iri",
    "report_source_iri",
    "role_iri",
    "sdg_iri",
    "slugify",
]

#: Prefix table used for serialising and stored in Neo4j.
PREFIXES: dict[str, str] = {
    "stig": str(STIG),
    "id": ID_BASE,
    "org": str(ORG),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dct": str(DCTERMS),
    "dcat": str(DCAT),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "sh": str(SH),
}

REPORT_IRI = URIRef(ID_BASE + "source/report")

_SLUG_SEP = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lower-case ASCII slug: ``"Horizon Europe!"`` -> ``"horizon-europe"``."""
    return _SLUG_SEP.sub("-", text.lower()).strip("-")


def instance_iri(kind: str, key: str) -> URIRef:
    """IRI of an instance: ``id/{kind}/{key}`` with the key percent-encoded."""
    return URIRef(f"{ID_BASE}{kind}/{quote(key, safe='-._~')}")


def actor_iri(slug: str) -> URIRef:
    return instance_iri("actor", slug)


def initiative_iri(slug: str) -> URIRef:
    return instance_iri("initiative", slug)


def project_iri(key: str) -> URIRef:
    return instance_iri("project", key)


def country_iri(iso2: str) -> URIRef:
    return instance_iri("country", iso2.upper())


def region_iri(m49: str) -> URIRef:
    return instance_iri("region", m49)


def area_iri(slug: str) -> URIRef:
    return instance_iri("area", slug)


def sdg_iri(number: int | str) -> URIRef:
    return instance_iri("sdg", str(int(number)))


def role_iri(slug: str) -> URIRef:
    return instance_iri("role", slug)


def group_iri(slug: str) -> URIRef:
    """A static country group: ``ldc``, ``lldc``, ``sids``, ``developed``, ``developing``."""
    return instance_iri("group", slug)


def income_group_iri(code: str, fiscal_year: int) -> URIRef:
    """World Bank income group ``code`` (L, LM, UM, H) in fiscal year ``fiscal_year``."""
    return instance_iri("group", f"wb-{code.lower()}-fy{fiscal_year}")


def report_source_iri(kind: str, number: str) -> URIRef:
    """A paragraph (``para``) or footnote (``fn``) of the UN report."""
    return instance_iri("source/report", f"{kind}-{number}")


def iri_key(iri: str) -> str:
    """The last path segment of an instance IRI (``.../country/KE`` -> ``KE``)."""
    return iri.rstrip("/").rsplit("/", 1)[-1]
