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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from stigraph.errors import DataImportError, ParameterError
from stigraph.resources import seeds_dir
from stigraph.writing.atomic import atomic_open
from stigraph.writing.safetext import csv_text

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


#: ``progress(what, done, total)``: rows read of a file, and the like (cli.progress shows it).
ProgressCallback = Callable[[str, int, "int | None"], None]

#: How often (in lines) a reader reports progress.
PROGRESS_EVERY = 20000


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
    #: Where reading reports its progress: ``progress("Reading FILE", lines read, lines)``
    #: every :data:`PROGRESS_EVERY` lines and at the end of each file (the import's log goes
    #: to every reader, so the progress goes with it).
    progress: ProgressCallback | None = None

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
                writer.writerow([csv_text(e.file), "" if e.line is None else e.line, e.reason,
                                 e.action, csv_text(e.message), csv_text(e.raw)])


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
    #: Rows kept and rows rejected by the reader (each record is one or the other).
    rows_read: int = 0
    rows_rejected: int = 0


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


def _parse(record: str, delimiter: str) -> list[str] | None:
    """The fields of one record, or ``None`` when the csv module cannot split it at all."""
    try:
        return next(csv.reader([record], delimiter=delimiter), [])
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            return _parse_large(record, delimiter)
        return None  # a newline outside quotes: quotes that do not pair up


def _parse_large(record: str, delimiter: str) -> list[str] | None:
    """Split a record with a field over the csv module's field limit (131,072 characters).

    The limit is process-wide state of the csv module; rather than raising it for everyone,
    the rare record that needs it is split here by the same rules as the csv module's
    default dialect (``""`` inside quotes is one quote, text after a closing quote is kept,
    a quote inside an unquoted field is literal, a newline outside quotes is an error).
    """
    fields: list[str] = []
    cell: list[str] = []
    quoted, at_start, i, text = False, True, 0, record.removesuffix("\r")
    while i < len(text):
        c = text[i]
        i += 1
        if quoted and c == '"' and text.startswith('"', i):
            cell.append(c)
            i += 1
        elif quoted:
            quoted = c != '"'
            if quoted:
                cell.append(c)
        elif c == delimiter:
            fields.append("".join(cell))
            cell, at_start = [], True
            continue
        elif c in "\r\n":
            return None
        elif c == '"' and at_start:
            quoted = True
        else:
            cell.append(c)
        at_start = False
    fields.append("".join(cell))
    return fields


#: Share of lines whose first field must have one shape for that shape to mark record starts.
KEY_SHAPE_SHARE = 0.9
_FIRST_FIELD = re.compile(r"[^,;\t|]*")
_SHAPE = str.maketrans("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
                       "9" * 10 + "a" * 52)


def _shape(line: str) -> str:
    """The shape of a line's first field: ``101039221`` -> ``999999999``, ``FP001`` -> ``aa999``.

    A first field with a quote that does not open it (``00000",...``) closes a quoted field
    of the line before: it has no shape.
    """
    match = _FIRST_FIELD.match(line)
    first = match.group(0).strip() if match else ""
    if '"' in first and not first.startswith('"'):
        return ""
    return first.strip('"').translate(_SHAPE)


def _key_shape(lines: list[str]) -> str | None:
    """The shape almost every record's first field has (an identifier), if there is one."""
    shapes = Counter(_shape(line) for line in lines if line.strip())
    if not shapes:
        return None
    shape, count = shapes.most_common(1)[0]
    return shape if shape and count >= KEY_SHAPE_SHARE * sum(shapes.values()) else None


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
    info = CsvFile(src, delim, encoding, _header(src, lines[0], delim, required))
    return info, _rows(info, lines, log)


def _header(src: Path, line: str, delim: str, required: Iterable[str]) -> list[str]:
    """The header's column names; :class:`DataImportError` if a ``required`` one is missing."""
    first = _parse(line, delim)
    if first is None:
        raise DataImportError(f"{src}:1: the header row cannot be split into columns "
                              "(its quotes do not pair up)")
    header = [h.strip() for h in first]
    missing = [c for c in required if c not in header]
    if missing:
        other = [d for d in _DELIMITERS if d != delim and d in line]
        hint = f" (is it separated by {other[0]!r}?)" if other else ""
        raise DataImportError(
            f"{src}: missing column(s) {', '.join(missing)} in the header{hint}; "
            f"found: {', '.join(header[:12])}")
    return header


def csv_file(path: Path | str) -> Path | None:
    """``path`` if it is a file, else ``path.gz`` if that is one (a gzip-compressed copy)."""
    plain = Path(path)
    for candidate in (plain, plain.with_name(plain.name + ".gz")):
        if candidate.is_file():
            return candidate
    return None


def _rows(info: CsvFile, lines: list[str], log: RejectLog) -> Iterator[tuple[int, dict[str, str]]]:
    return _Records(info, lines, log).rows()


class _Records:
    """Splits a file's lines into records and accounts for every one: kept or rejected.

    A quoted field may span lines, but a field left open by a row cut short must not swallow
    the rows after it: a continuation line that starts like a record (its first field has
    the file's identifier shape, e.g. nine digits) ends the open row, which is rejected, and
    reading goes on from that line. Lines that do not start like a record right after a
    rejected row are the rest of that row and are not counted again.
    """

    def __init__(self, info: CsvFile, lines: list[str], log: RejectLog) -> None:
        self.info, self.lines, self.log = info, lines, log
        self.width = len(info.header)
        self.key = _key_shape(lines[1:])
        self.other_delims = [d for d in _DELIMITERS if d != info.delimiter]

    def starts_record(self, line: str) -> bool:
        if self.key is not None:
            return _shape(line) == self.key
        fields = _parse(line, self.info.delimiter)
        return line.count('"') % 2 == 0 and fields is not None and len(fields) == self.width

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        i, n, after_reject = 1, len(self.lines), False
        report, what, mark = self.log.progress, f"Reading {self.info.path.name}", PROGRESS_EVERY
        while i < n:
            if report is not None and i >= mark:
                report(what, i, n - 1)
                mark += PROGRESS_EVERY
            line = self.lines[i]
            if not line.strip() or (after_reject and self.key and not self.starts_record(line)):
                i += 1
                continue
            nxt, fields = self.record(i)
            after_reject = fields is None
            if fields is not None:
                self.info.rows_read += 1
                yield i + 1, dict(zip(self.info.header, fields, strict=True))
            else:
                self.info.rows_rejected += 1
            i = nxt
        if report is not None:
            report(what, n - 1, n - 1)

    def record(self, i: int) -> tuple[int, list[str] | None]:
        """The line after the record starting at line ``i`` and its fields (``None``: rejected)."""
        line, delim = self.lines[i], self.info.delimiter
        if '"' not in line:
            fields: list[str] | None = line.rstrip("\r").split(delim)
            return i + 1, self.checked(i, fields)
        if line.count('"') % 2 == 0:
            return i + 1, self.checked(i, _parse(line, delim))
        return self.open_quote(i)

    def open_quote(self, i: int) -> tuple[int, list[str] | None]:
        """A line with an odd number of quotes: a quoted field spanning lines or a broken one."""
        lines, delim = self.lines, self.info.delimiter
        j, quotes = i, lines[i].count('"')
        while (quotes % 2 and j + 1 < len(lines) and j - i < MAX_CONTINUATION_LINES
               and not self.starts_record(lines[j + 1])):
            j += 1
            quotes += lines[j].count('"')
        if quotes % 2 == 0:
            fields = _parse("\n".join(lines[i:j + 1]), delim)
            if fields is not None and len(fields) == self.width:
                return j + 1, fields
        single = _parse(lines[i], delim)
        if single is not None and len(single) == self.width:  # a stray quote in a plain field
            return i + 1, single
        cut = j + 1 < len(lines) and self.starts_record(lines[j + 1]) and quotes % 2
        message = ("a quoted field is not closed before the next row starts (a row cut short?)"
                   if cut else "unbalanced quote: the row cannot be split into fields")
        self.log.add(self.info.path, i + 1, "broken-quoting", message, raw=lines[i])
        return (j + 1 if self.key else i + 1), None

    def checked(self, i: int, fields: list[str] | None) -> list[str] | None:
        """``fields`` if the row has the header's width; otherwise log why and ``None``."""
        if fields is not None and len(fields) == self.width:
            return fields
        line = self.lines[i]
        if fields is None:
            self.log.add(self.info.path, i + 1, "broken-quoting",
                         "quotes do not pair up: the row cannot be split into fields", raw=line)
            return None
        reason, message = "wrong-field-count", f"{len(fields)} fields, header has {self.width}"
        for other in self.other_delims:
            split = _parse(line, other)
            if split is not None and len(split) == self.width:
                reason = "wrong-delimiter"
                message = f"row is separated by {other!r}, the file by {self.info.delimiter!r}"
                break
        self.log.add(self.info.path, i + 1, reason, message, raw=line)
        return None


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


def write_triples(lines: Iterable[str], path: Path | str, *, store: str = "auto",
                  progress: ProgressCallback | None = None) -> int:
    """Write N-Triples lines to ``path`` atomically; returns the number of triples.

    ``.nt`` streams the lines straight to the file; ``.ttl`` loads them into a graph on
    ``store`` first and serialises Turtle from it (``progress`` hears of both steps).
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
    if progress is not None:
        progress(f"Writing Turtle ({len(graph):,} triples)", 0, None)
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
