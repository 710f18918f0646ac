"""One exception tree for everything stigraph reports to a user.

::

    StigraphError
    ├── InputError              bad input a user can fix
    │   ├── SeedError           a seed row or file (names file and line)
    │   ├── OntologyError       an ontology or Turtle file that does not parse
    │   ├── UnknownCountryError a country code that is not in the graph
    │   └── ParameterError      a query parameter or option value
    ├── ValidationError         the graph does not conform to the SHACL shapes
    ├── QueryError              a named query is missing or failed
    ├── DataImportError           an importer could not read its input at all
    ├── OutputBusyError         another run is writing the same output folder
    └── BackendError            a store or server problem
        └── Neo4jError          Bolt server down, bad credentials, unknown database…

The CLI turns each of these into a one-paragraph message and a non-zero exit code; anything
else is a bug and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path


class StigraphError(Exception):
    """Root of all errors stigraph reports to its user."""


class InputError(StigraphError):
    """Input that the user can fix."""


class SeedError(InputError):
    """A seed file or row that cannot be read; names the file and line."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type[SeedError], tuple[Path, int | None, str]]:
        # rebuilt from its parts when it crosses a process boundary (the build's worker)
        return SeedError, (self.path, self.line, self.message)


class OntologyError(InputError):
    """An ontology or Turtle file that does not parse."""


class UnknownCountryError(InputError):
    """A country code that stigraph does not know."""


class ParameterError(InputError):
    """A bad option or query parameter value."""


class ValidationError(StigraphError):
    """The graph does not conform to the SHACL shapes."""


class QueryError(StigraphError):
    """A named query is missing or failed."""


class DataImportError(StigraphError):
    """An importer could not read its input at all."""


class OutputBusyError(StigraphError):
    """Another stigraph run is writing the same output (its lock file is held)."""


class BackendError(StigraphError):
    """A store or server problem."""


class Neo4jError(BackendError):
    """A Neo4j/Bolt problem: server down, bad credentials, unknown database, failed write."""
