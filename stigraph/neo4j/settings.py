"""Frozen settings for the Neo4j backend. The library never reads ``NEO4J_*`` variables."""

from __future__ import annotations

from dataclasses import dataclass, field

from stigraph.errors import ParameterError

__all__ = ["DEFAULT_BATCH_SIZE", "LoadOptions", "Neo4jSettings"]

DEFAULT_BATCH_SIZE = 1000


@dataclass(frozen=True)
class Neo4jSettings:
    """Where the Bolt server is and who we are. The password never appears in ``repr``."""

    uri: str = "bolt://localhost:7687"
    user: str = "neo4j"
    password: str | None = field(default=None, repr=False)
    database: str = "neo4j"

    def describe(self) -> str:
        """Human text for messages: URI, user and database, never the password."""
        return f"{self.uri} (user {self.user!r}, database {self.database!r})"


@dataclass(frozen=True)
class LoadOptions:
    """How to load: rows per transaction, whether to clear stigraph's data first, or only count."""

    batch_size: int = DEFAULT_BATCH_SIZE
    wipe: bool = False
    dry_run: bool = False

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ParameterError(
                f"batch size must be at least 1, not {self.batch_size} (--batch-size)"
            )
