"""Driver creation and fault translation.

Every fault a user can fix becomes a :class:`stigraph.errors.Neo4jError` whose message names
the setting to change (``--uri``/``NEO4J_URI`` and so on). The password is never part of a
message: :func:`translate` scrubs it even from the server's own text.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import neo4j
from neo4j import exceptions as nx

from stigraph.errors import Neo4jError
from stigraph.neo4j.settings import Neo4jSettings, redact_uri, uri_secret

__all__ = ["check_connection", "connected", "neo4j_errors", "open_driver", "translate"]

_URI_HINT = "set --uri or NEO4J_URI"
_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_AUTH_HINT = "check --user/NEO4J_USER and --password/NEO4J_PASSWORD"
_DB_HINT = "set --database or NEO4J_DATABASE to an existing database"


def _scrub(text: str, settings: Neo4jSettings) -> str:
    text = text.replace(settings.uri, redact_uri(settings.uri))
    for secret in (settings.password, uri_secret(settings.uri)):
        if secret:
            text = text.replace(secret, "***")
    return text


def _server_message(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return " ".join(str(message).split())


def translate(
    exc: BaseException, settings: Neo4jSettings, doing: str = "talking to Neo4j"
) -> Neo4jError:
    """The user-facing :class:`Neo4jError` for a driver exception raised while ``doing``."""
    where = redact_uri(settings.uri)
    code = getattr(exc, "code", None) or ""
    if isinstance(exc, nx.AuthError) or code.startswith("Neo.ClientError.Security"):
        text = (
            f"the Neo4j server at {where} rejected user {settings.user!r} with the password "
            f"given ({_AUTH_HINT})"
        )
    elif code == "Neo.ClientError.Database.DatabaseNotFound" or "DatabaseNotFound" in code:
        text = f"database {settings.database!r} does not exist on {where} ({_DB_HINT})"
    elif isinstance(exc, nx.ServiceUnavailable | nx.SessionExpired | OSError):
        text = (
            f"cannot reach a Neo4j server at {where}: {_server_message(exc)} "
            f"(is the server running? {_URI_HINT})"
        )
    elif isinstance(exc, nx.ConfigurationError | ValueError):
        text = f"invalid Neo4j connection setting for {where}: {_server_message(exc)} ({_URI_HINT})"
    elif isinstance(exc, nx.Neo4jError):
        text = f"{doing} failed on {where}: {_server_message(exc)}" + (f" [{code}]" if code else "")
    else:
        text = f"{doing} failed on {where}: {_server_message(exc)}"
    return Neo4jError(_scrub(text, settings))


#: The driver exceptions that mean "a fault the user can fix", not a bug in stigraph.
EXPECTED_FAULTS: tuple[type[BaseException], ...] = (
    nx.Neo4jError,
    nx.DriverError,
    OSError,
    ValueError,
)


@contextmanager
def neo4j_errors(settings: Neo4jSettings, doing: str = "talking to Neo4j") -> Iterator[None]:
    """Translate driver faults raised in the block into :class:`Neo4jError`."""
    try:
        yield
    except Neo4jError:
        raise
    except EXPECTED_FAULTS as exc:
        raise translate(exc, settings, doing) from exc


def open_driver(settings: Neo4jSettings) -> neo4j.Driver:
    """A driver for ``settings`` (no network traffic yet)."""
    scheme = settings.uri.split("://", 1)[0] if "://" in settings.uri else ""
    if scheme not in _SCHEMES:
        raise Neo4jError(_scrub(
            f"invalid Neo4j URI {redact_uri(settings.uri)!r}: use bolt://host:7687 or "
            f"neo4j://host:7687 (schemes: {', '.join(_SCHEMES)}; {_URI_HINT})", settings))
    if "@" in settings.uri.split("://", 1)[1].split("/", 1)[0]:
        raise Neo4jError(
            f"the Neo4j URI {redact_uri(settings.uri)!r} carries credentials; give the host "
            f"only ({_URI_HINT}) and the credentials with --user/NEO4J_USER and "
            "--password/NEO4J_PASSWORD")
    auth = (settings.user, settings.password or "")
    with neo4j_errors(settings, "creating the Neo4j driver"):
        return neo4j.GraphDatabase.driver(settings.uri, auth=auth)


def check_connection(driver: neo4j.Driver, settings: Neo4jSettings) -> None:
    """Run ``RETURN 1`` on the configured database: proves reachability, credentials and name."""
    with (
        neo4j_errors(settings, "connecting"),
        driver.session(database=settings.database) as session,
    ):
        session.run("RETURN 1 AS ok").consume()


@contextmanager
def connected(settings: Neo4jSettings) -> Iterator[neo4j.Driver]:
    """Open a driver, check the connection, yield it, and close it afterwards."""
    driver = open_driver(settings)
    try:
        check_connection(driver, settings)
        yield driver
    finally:
        driver.close()
