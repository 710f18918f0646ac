"""Shared machinery of the importers: robust CSV reading, the reject log, N-Triples writing.

Real CSV exports are messy: ``;`` or ``,`` separated, UTF-8 or Latin-1, stray quotes, rows
cut short. :func:`read_csv` reads them row by row and never gives up on a file because of a
bad row: every row it cannot use goes to a :class:`RejectLog` with its line number, a reason
and the raw text, and the import goes on. Files that cannot be read at all raise
:class:`~stigraph.errors.DataImportError`.

Importers produce N-Triples lines (plain strings): the fastest thing to write to a file, to
bulk-load into Oxigraph, or to parse into any rdflib store.
"""

from __future__ import annotations

import csv
import gzip
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from stigraph.atomic import atomic_open
from stigraph.errors import DataImportError, ParameterError
from stigraph.resources import seeds_dir

__all__ = [
    "CsvFile",
    "ImportResult",
    "ImportStats",
    "Reject",
    "RejectLog",
    "country_codes",
    "csv_file",
    "iri",
    "known_countries",
    "lit",
    "load_triples",
    "read_csv",
    "triple",
    "typed",
    "write_triples",
]

#: Lines a quoted field may span before its opening quote is taken for a broken one.
MAX_CONTINUATION_LINES = 50
#: Examples kept per reject reason for the summary (the rejects file gets every row).
EXAMPLES_PER_REASON = 3
#: Characters of a raw line kept in the rejects file.
RAW_LIMIT = 500

_DELIMITERS = (",", ";", "\t", "|")


# --------------------------------------------------------------------------------------------
# Rejects
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reject:
    """One row (or file-level notice) an importer could not use as it was."""

    file: str
    line: int | None
    reason: str
    message: str
    action: str = "rejected"
    raw: str = ""


@dataclass
class RejectLog:
    """Counts bad rows by reason, keeps examples, and writes every one to a rejects CSV.

    ``action`` says what happened to the row: ``rejected`` (left out) or what was kept
    (``kept without country``); file-level notices (``decoded as Latin-1``) have no line.
    """

    entries: list[Reject] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, file: str | Path, line: int | None, reason: str, message: str, *,
            action: str = "rejected", raw: str = "") -> None:
        name = Path(file).name
        self.entries.append(Reject(name, line, reason, message, action,
                                   raw.rstrip("\r\n")[:RAW_LIMIT]))
        self.counts[reason] += 1

    @property
    def rejected(self) -> int:
        """Rows left out of the import."""
        return sum(1 for e in self.entries if e.action == "rejected")

    def __len__(self) -> int:
        return len(self.entries)

    def examples(self, per_reason: int = EXAMPLES_PER_REASON) -> dict[str, list[Reject]]:
        out: dict[str, list[Reject]] = {}
        for entry in self.entries:
            kept = out.setdefault(entry.reason, [])
            if len(kept) < per_reason:
                kept.append(entry)
        return out

    def summary(self, per_reason: int = EXAMPLES_PER_REASON) -> list[dict[str, object]]:
        """One row per reason: count, action and a few examples (``file:line message``)."""
        rows: list[dict[str, object]] = []
        examples = self.examples(per_reason)
        for reason, count in sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0])):
            sample = examples[reason]
            rows.append({
                "reason": reason,
                "count": count,
                "action": sample[0].action,
                "examples": [f"{e.file}:{e.line if e.line is not None else '-'} {e.message}"
                             for e in sample],
            })
        return rows

    def write(self, path: Path | str) -> None:
        """Write every entry to ``path`` as CSV, atomically."""
        with atomic_open(path) as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["file", "line", "reason", "action", "message", "raw"])
            for e in self.entries:
                writer.writerow([e.file, "" if e.line is None else e.line, e.reason, e.action,
                                 e.message, e.raw])


# --------------------------------------------------------------------------------------------
# CSV reading
# --------------------------------------------------------------------------------------------


@dataclass
class CsvFile:
    """What :func:`read_csv` found out about a file."""

    path: Path
    delimiter: str = ","
    encoding: str = "utf-8"
    header: list[str] = field(default_factory=list)
    rows_read: int = 0


def _decode(path: Path, data: bytes, log: RejectLog) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8 as a whole: decode line by line so that a file with a few Latin-1 lines keeps
    # its UTF-8 lines intact, and say which encoding each line needed.
    parts: list[str] = []
    latin1_lines = 0
    first_bad: int | None = None
    for number, chunk in enumerate(data.split(b"\n"), start=1):
        try:
            parts.append(chunk.decode("utf-8"))
        except UnicodeDecodeError:
            parts.append(chunk.decode("cp1252", errors="strict") if _cp1252_ok(chunk)
                         else chunk.decode("latin-1"))
            latin1_lines += 1
            first_bad = first_bad or number
    encoding = "latin-1" if latin1_lines == len(parts) or latin1_lines > 1 else "mixed"
    log.add(path, first_bad, "latin-1-encoding",
            f"{latin1_lines} line(s) are not UTF-8; decoded as Latin-1 (Windows-1252)",
            action="decoded as Latin-1")
    return "\n".join(parts), encoding


def _cp1252_ok(chunk: bytes) -> bool:
    try:
        chunk.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: _count_outside_quotes(header_line, d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _count_outside_quotes(line: str, char: str) -> int:
    count, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == char and not quoted:
            count += 1
    return count


def _parse(record: str, delimiter: str) -> list[str]:
    return next(csv.reader([record], delimiter=delimiter), [])


_NEEDS_RECORD_PARSE = re.compile('"')


def read_csv(path: Path | str, log: RejectLog, *, required: Iterable[str] = (),
             delimiter: str | None = None) -> tuple[CsvFile, Iterator[tuple[int, dict[str, str]]]]:
    """Open a CSV file and return what was found plus an iterator of ``(line, row)``.

    A ``.gz`` file is decompressed first. The delimiter is sniffed from the header unless
    given; the encoding is UTF-8 (a BOM is dropped) with a fallback to Latin-1 that is
    logged. Cells are kept as text: ``NA`` is Namibia, not a missing value. Rows with the
    wrong number of fields, a different delimiter or an unbalanced quote are logged as rejects
    with their line; the header must contain ``required`` columns or
    :class:`DataImportError` is raised (also for a ``.gz`` file that does not decompress).
    """
    src = Path(path)
    try:
        data = src.read_bytes()
    except OSError as exc:
        raise DataImportError(f"cannot read {src}: {exc.strerror or exc}") from exc
    if src.suffix.lower() == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise DataImportError(f"{src}: not a readable gzip file ({exc}); decompress it "
                                  "or fetch it again") from exc
    text, encoding = _decode(src, data, log)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise DataImportError(f"{src} is empty; expected a CSV file with a header row")
    delim = delimiter or _sniff_delimiter(lines[0])
    header = [h.strip() for h in _parse(lines[0], delim)]
    missing = [c for c in required if c not in header]
    if missing:
        other = [d for d in _DELIMITERS if d != delim and d in lines[0]]
        hint = f" (is it separated by {other[0]!r}?)" if other else ""
        raise DataImportError(
            f"{src}: missing column(s) {', '.join(missing)} in the header{hint}; "
            f"found: {', '.join(header[:12])}")
    info = CsvFile(src, delim, encoding, header)
    return info, _rows(info, lines, log)


def csv_file(path: Path | str) -> Path | None:
    """``path`` if it is a file, else ``path.gz`` if that is one (a gzip-compressed copy)."""
    plain = Path(path)
    for candidate in (plain, plain.with_name(plain.name + ".gz")):
        if candidate.is_file():
            return candidate
    return None


def _rows(info: CsvFile, lines: list[str], log: RejectLog) -> Iterator[tuple[int, dict[str, str]]]:
    header, delim, width, path = info.header, info.delimiter, len(info.header), info.path
    other_delims = [d for d in _DELIMITERS if d != delim]
    i, n = 1, len(lines)
    while i < n:
        line = lines[i]
        start = i + 1  # 1-based physical line number
        if not line.strip():
            i += 1
            continue
        if '"' not in line:
            fields = line.rstrip("\r").split(delim)
            i += 1
        elif line.count('"') % 2 == 0:
            fields = _parse(line, delim)
            i += 1
        else:
            # An odd number of quotes: either a quoted field spanning lines or a broken quote.
            j, quotes = i, line.count('"')
            while quotes % 2 and j + 1 < n and j - i < MAX_CONTINUATION_LINES:
                j += 1
                quotes += lines[j].count('"')
            record = "\n".join(lines[i:j + 1])
            fields = _parse(record, delim) if quotes % 2 == 0 else []
            if len(fields) == width:
                i = j + 1
            else:
                single = _parse(line, delim)
                if len(single) == width:  # a stray quote inside an unquoted field
                    fields = single
                    i += 1
                else:
                    log.add(path, start, "broken-quoting",
                            "unbalanced quote: the row cannot be split into fields", raw=line)
                    i += 1
                    continue
        if len(fields) != width:
            reason, message = "wrong-field-count", f"{len(fields)} fields, header has {width}"
            for other in other_delims:
                if len(_parse(line, other)) == width:
                    reason = "wrong-delimiter"
                    message = f"row is separated by {other!r}, the file by {delim!r}"
                    break
            log.add(path, start, reason, message, raw=line)
            continue
        info.rows_read += 1
        yield start, dict(zip(header, fields, strict=True))


# --------------------------------------------------------------------------------------------
# Countries
# --------------------------------------------------------------------------------------------


def known_countries(seed_dirs: Iterable[Path] = ()) -> frozenset[str]:
    """ISO alpha-2 codes of the countries in the seed graph (``countries*.csv``)."""
    codes: set[str] = set()
    dirs = [seeds_dir(), *seed_dirs]
    for folder in dirs:
        for path in sorted(Path(folder).glob("countries*.csv")):
            with path.open(encoding="utf-8-sig", newline="") as handle:
                for row in csv.DictReader(handle):
                    code = (row.get("iso2") or "").strip().upper()
                    if code:
                        codes.add(code)
    return frozenset(codes)


def country_codes(seed_dirs: Iterable[Path] = ()) -> dict[str, str]:
    """ISO alpha-3 -> alpha-2 for the countries in the seed graph."""
    codes: dict[str, str] = {}
    for folder in [seeds_dir(), *seed_dirs]:
        for path in sorted(Path(folder).glob("countries*.csv")):
            with path.open(encoding="utf-8-sig", newline="") as handle:
                for row in csv.DictReader(handle):
                    iso2 = (row.get("iso2") or "").strip().upper()
                    iso3 = (row.get("iso3") or "").strip().upper()
                    if iso2 and iso3:
                        codes[iso3] = iso2
    return codes


# --------------------------------------------------------------------------------------------
# N-Triples terms
# --------------------------------------------------------------------------------------------

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_XSD = "http://www.w3.org/2001/XMLSchema#"


def iri(value: str) -> str:
    """An IRI term (the IRI must already be valid, as namespace helpers make them)."""
    return f"<{value}>"


def lit(value: str, lang: str | None = None) -> str:
    """A plain string literal, escaped for N-Triples."""
    text = '"' + value.translate(_ESCAPES) + '"'
    return f"{text}@{lang}" if lang else text


def typed(value: str, datatype: str) -> str:
    """A typed literal; ``datatype`` is an XSD local name (``date``) or a full IRI."""
    dt = datatype if ":" in datatype else _XSD + datatype
    return '"' + value.translate(_ESCAPES) + f'"^^<{dt}>'


def triple(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} .\n"


# --------------------------------------------------------------------------------------------
# Results and output
# --------------------------------------------------------------------------------------------


@dataclass
class ImportStats:
    """What an importer read and made: counts by kind and the files it read."""

    counts: Counter[str] = field(default_factory=Counter)
    files: list[CsvFile] = field(default_factory=list)


@dataclass
class ImportResult:
    """The outcome of one import: counts, files read, rejects and seed-actor matches."""

    source: str
    stats: ImportStats
    rejects: RejectLog
    matches: list[dict[str, str]] = field(default_factory=list)
    triples: int = 0
    out: Path | None = None

    def summary_rows(self) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = [
            {"what": key, "count": value} for key, value in sorted(self.stats.counts.items())]
        rows.append({"what": "triples", "count": self.triples})
        rows.append({"what": "rows rejected", "count": self.rejects.rejected})
        rows.append({"what": "rows kept with a problem",
                     "count": len(self.rejects) - self.rejects.rejected})
        rows.append({"what": "seed actors matched", "count": len(self.matches)})
        return rows


_OUT_SUFFIXES = {".nt": "nt", ".ttl": "turtle"}


def write_triples(lines: Iterable[str], path: Path | str, *, store: str = "auto") -> int:
    """Write N-Triples lines to ``path`` atomically; returns the number of triples.

    ``.nt`` streams the lines straight to the file; ``.ttl`` loads them into a graph on
    ``store`` first and serialises Turtle from it.
    """
    target = Path(path)
    fmt = _OUT_SUFFIXES.get(target.suffix.lower())
    if fmt is None:
        raise ParameterError(f"{target}: write N-Triples (.nt) or Turtle (.ttl); cannot tell "
                             f"the format from {target.suffix or 'no suffix'!r}")
    if fmt == "nt":
        count = 0
        with atomic_open(target) as handle:
            for line in lines:
                handle.write(line)
                count += 1
        return count
    graph = load_triples(lines, store=store)
    from stigraph.store.files import write_graph
    from stigraph.vocab.namespaces import PREFIXES

    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    write_graph(graph, target, "turtle")
    return len(graph)


def load_triples(lines: Iterable[str], *, store: str = "auto",
                 graph: Graph | None = None) -> Graph:
    """Load N-Triples lines into ``graph`` (or a new graph on ``store``).

    The text goes to the store's bulk loader in one call (Oxigraph's own parser on Oxigraph).
    """
    from stigraph.store import open_store, store_of

    target = store_of(graph) if graph is not None else open_store(store)
    target.load_data("".join(lines).encode("utf-8"), "nt")
    return target.graph
