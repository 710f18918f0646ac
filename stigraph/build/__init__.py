"""Build the graph: seed tables read and checked row by row, then the ontology, seeds and
extra RDF files loaded into one store."""
