"""Projections of the RDF graph into NetworkX graphs, and the analysis inputs built once per
command and date."""
