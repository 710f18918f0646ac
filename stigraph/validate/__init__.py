"""Validation of a built graph against the SHACL shapes: pyshacl (the reference) and the
shapes compiled to SPARQL (for large graphs), each violation traced to its seed file and line."""
