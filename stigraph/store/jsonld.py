"""Data never makes stigraph fetch anything: JSON-LD files with a remote ``@context``.

rdflib's JSON-LD parser downloads a context given by URL (``"@context":
"https://schema.org/"``), so a data file could make the build send requests. Before a JSON-LD
file is parsed, :func:`refuse_remote_contexts` looks for a context (or a JSON-LD 1.1
``@import``) that names a URL and stops with a message saying how to make the file
self-contained. A context given inline or by a relative file name is read as before.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from stigraph.errors import InputError

__all__ = ["refuse_remote_contexts", "remote_contexts"]

_KEYS = ("@context", "@import")


def _references(value: Any) -> Iterator[str]:
    """Strings given as a context (or an import) anywhere in a JSON-LD document."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in _KEYS:
                yield from _context_strings(item)
            yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def _context_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                yield item


def remote_contexts(document: Any) -> list[str]:
    """The contexts of ``document`` that would be fetched from the network."""
    return sorted({ref for ref in _references(document)
                   if "://" in ref or ref.startswith("//")})


def refuse_remote_contexts(path: Path, error: type[InputError] = InputError) -> None:
    """Raise ``error`` if the JSON-LD file at ``path`` names a remote context."""
    try:
        document = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError):
        return  # not JSON: the parser reports it with its own message
    remote = remote_contexts(document)
    if remote:
        raise error(f"{path}: its JSON-LD @context {remote[0]} is on the network, and "
                    "stigraph never fetches anything because of data; save that context as "
                    "a file next to it and refer to it by its file name, or write it inline")
