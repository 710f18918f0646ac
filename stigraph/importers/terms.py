"""RDF terms the importers write, as N-Triples text made once (shared by every importer)."""

from __future__ import annotations

from stigraph.importers.common import iri
from stigraph.vocab.namespaces import DCTERMS, RDF, RDFS, SCHEMA, SKOS, STIG

A = iri(str(RDF.type))
LABEL = iri(str(RDFS.label))
P_SOURCE = iri(str(DCTERMS.source))
P_IDENT = iri(str(DCTERMS.identifier))
P_PROV = iri(str(STIG.provenance))
IMPORTED = iri(str(STIG.Imported))
P_ACRONYM = iri(str(STIG.acronym))
P_START = iri(str(STIG.startDate))
P_END = iri(str(STIG.endDate))
P_AMOUNT = iri(str(STIG.amount))
P_CURRENCY = iri(str(STIG.currency))
P_MEMBER = iri(str(STIG.member))
P_ORGANISATION = iri(str(STIG.organisation))
P_ROLE = iri(str(STIG.role))
P_PARTICIPATES = iri(str(STIG.participatesIn))
P_CATEGORY = iri(str(SCHEMA.category))
P_URL = iri(str(SCHEMA.url))
P_PREF = iri(str(SKOS.prefLabel))
P_IN_SCHEME = iri(str(SKOS.inScheme))
P_NOTATION = iri(str(SKOS.notation))
