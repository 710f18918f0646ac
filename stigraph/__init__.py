"""stigraph: a knowledge graph of the actors of international STI cooperation."""

__version__ = "0.1.0"
