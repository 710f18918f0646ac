"""Vocabulary: the IRIs stigraph spells, terms read from the ontology, and display labels."""
