"""Frozen settings for the Neo4j backend. The library never reads ``NEO4J_*`` variables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stigraph.errors import ParameterError

__all__ = ["DEFAULT_BATCH_SIZE", "LoadOptions", "Neo4jSettings", "redact_uri", "uri_secret"]

#: ``scheme://user:password@`` at the start of a URI (the password group may be absent).
_USERINFO = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^:@/?#]*)"
                       r"(?::(?P<password>[^@/?#]*))?@")


def redact_uri(uri: str) -> str:
    """``uri`` fit for a message: a password in it becomes ``***`` (``bolt://u:***@host``)."""
    match = _USERINFO.match(uri)
    if not match:
        return uri
    # a user part alone may be a token: it goes too
    user = "" if match.group("password") is None else f"{match.group('user')}:"
    return f"{match.group('scheme')}{user}***@{uri[match.end():]}"


def uri_secret(uri: str) -> str | None:
    """The secret written inside ``uri`` (password, or a lone user part), to scrub it."""
    match = _USERINFO.match(uri)
    if not match:
        return None
    return match.group("password") if match.group("password") is not None else match.group(
        "user") or None

DEFAULT_BATCH_SIZE = 1000


@dataclass(frozen=True)
class Neo4jSettings:
    """Where the Bolt server is and who we are. The password never appears in ``repr``."""

    uri: str = "bolt://localhost:7687"
    user: str = "neo4j"
    password: str | None = field(default=None, repr=False)
    database: str = "neo4j"

    def __repr__(self) -> str:
        return (f"Neo4jSettings(uri={redact_uri(self.uri)!r}, user={self.user!r}, "
                f"database={self.database!r})")

    def describe(self) -> str:
        """Human text for messages: URI, user and database, never the password."""
        return f"{redact_uri(self.uri)} (user {self.user!r}, database {self.database!r})"


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
