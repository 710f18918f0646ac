"""Downloading the current official files of a data set into the user cache: ``stigraph fetch``.

- ``cordis``: the CORDIS "HORIZON projects" CSV archive of the EU open data portal
  (:data:`SOURCES`), unpacked into a folder that ``stigraph import cordis`` reads;
- ``gcf``: the Green Climate Fund open data API's project list (``/v1/projects``, JSON),
  which ``stigraph import gcf`` reads.

A download is resumable: bytes arrive in ``NAME.part`` and a rerun asks the server for the
rest (HTTP ``Range``); a server that ignores the range sends the whole file again, which
replaces the part. The finished file is checked (a ZIP archive's every member's CRC, the JSON
parsed) before it is renamed into place, and its size, SHA-256, URL and time are recorded in
``checksums.csv`` of the data set's folder. Nothing here is fetched unless asked: no other
command of stigraph uses the network.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import shutil
import urllib.error
import urllib.request
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stigraph.errors import DataImportError

__all__ = ["SOURCES", "FetchResult", "FetchSource", "fetch"]


@dataclass(frozen=True)
class FetchSource:
    """One data set's official file: where it is, what it is called, how to check it."""

    name: str
    url: str
    filename: str
    kind: str  # "zip" or "json"
    #: the import command to run next, ``{path}`` being what was fetched
    next_command: str


SOURCES = {
    "cordis": FetchSource(
        "cordis", "https://cordis.europa.eu/data/cordis-HORIZONprojects-csv.zip",
        "cordis-HORIZONprojects-csv.zip", "zip",
        "stigraph import cordis {path} --out cordis-horizon-europe.nt"),
    "gcf": FetchSource(
        "gcf", "https://api.gcfund.org/v1/projects", "v1-projects.json", "json",
        "stigraph import gcf {path} --out gcf.nt"),
}

_BLOCK = 1 << 16


@dataclass
class FetchResult:
    """A finished download: the file, what it unpacked to, its size and SHA-256."""

    source: str
    url: str
    file: Path
    path: Path  # what the importer reads: the unpacked folder or the file
    size: int
    sha256: str
    resumed_from: int

    def next_command(self) -> str:
        return SOURCES[self.source].next_command.format(path=self.path) if \
            self.source in SOURCES else ""


def _check(kind: str, path: Path, url: str) -> None:
    if kind == "zip":
        try:
            with zipfile.ZipFile(path) as archive:
                bad = archive.testzip()
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            raise DataImportError(f"{url}: the downloaded file {path.name} is not a valid ZIP "
                                  f"archive ({exc}); it was deleted: run fetch again") from exc
        if bad is not None:
            raise DataImportError(f"{url}: member {bad} of {path.name} is corrupt (CRC "
                                  "mismatch); it was deleted: run fetch again")
    else:
        try:
            with path.open("rb") as handle:
                json.load(handle)
        except (ValueError, UnicodeDecodeError) as exc:
            raise DataImportError(f"{url}: the downloaded file {path.name} is not valid JSON "
                                  f"({exc}); it was deleted: run fetch again") from exc


def _open(url: str, have: int, timeout: float) -> Any:
    """The response for the rest of ``url`` from byte ``have``; None if the part is whole."""
    request = urllib.request.Request(url, headers={"User-Agent": "stigraph-fetch"})
    if have:
        request.add_header("Range", f"bytes={have}-")
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:  # the part is already whole
            return None
        raise DataImportError(f"{url}: the server answered {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DataImportError(f"{url}: cannot connect ({reason}); check the network or "
                              "proxy and run fetch again") from exc


def _copy(url: str, response: Any, handle: Any, done: int, total: int | None,
          progress: Callable[[int, int | None], None] | None) -> int:
    """Copy the response body to ``handle``; returns the bytes the part then holds."""
    try:
        while block := response.read(_BLOCK):
            handle.write(block)
            done += len(block)
            if progress is not None:
                progress(done, total)
    except (OSError, urllib.error.URLError) as exc:
        raise DataImportError(f"{url}: the connection dropped after {done:,} bytes "
                              f"({exc}); run fetch again to resume") from exc
    return done


def _download(url: str, part: Path, progress: Callable[[int, int | None], None] | None,
              timeout: float) -> int:
    """Append the rest of ``url`` to ``part``; returns the offset it resumed from."""
    have = part.stat().st_size if part.is_file() else 0
    response = _open(url, have, timeout)
    if response is None:
        return have
    with response:
        if have and response.status != 206:  # the server sent the whole file again
            have = 0
        length = response.headers.get("Content-Length")
        total = have + int(length) if length and length.isdigit() else None
        with part.open("ab" if have else "wb") as handle:
            done = _copy(url, response, handle, have, total, progress)
        if total is not None and done < total:
            raise DataImportError(f"{url}: the connection closed after {done:,} of {total:,} "
                                  "bytes; run fetch again to resume")
    return have


def _record(folder: Path, result: FetchResult) -> None:
    log = folder / "checksums.csv"
    new = not log.is_file()
    with log.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if new:
            writer.writerow(["fetched", "url", "file", "bytes", "sha256"])
        writer.writerow([dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), result.url,
                         result.file.name, result.size, result.sha256])


def fetch(name: str, cache_dir: Path | str, *, url: str | None = None,
          progress: Callable[[int, int | None], None] | None = None,
          timeout: float = 60.0) -> FetchResult:
    """Download data set ``name`` (``cordis`` or ``gcf``) into ``cache_dir/fetched/NAME/``;
    ``url`` replaces the official address (a mirror, or a test server)."""
    if name not in SOURCES:
        raise DataImportError(f"unknown data set {name!r}; fetch one of {', '.join(SOURCES)}")
    source = SOURCES[name]
    address = url or source.url
    if not address.startswith(("https://", "http://")):
        raise DataImportError(f"{address}: not an http(s) URL")
    folder = Path(cache_dir) / "fetched" / name
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.filename
    part = folder / (source.filename + ".part")
    resumed = _download(address, part, progress, timeout)
    try:
        _check(source.kind, part, address)
    except DataImportError:
        part.unlink(missing_ok=True)
        raise
    digest = hashlib.sha256()
    with part.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    os.replace(part, target)
    path = target
    if source.kind == "zip":
        path = folder / target.stem
        staging = folder / f".{target.stem}.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        with zipfile.ZipFile(target) as archive:
            for member in archive.namelist():  # no member may leave the folder
                if Path(member).is_absolute() or ".." in Path(member).parts:
                    raise DataImportError(f"{address}: archive member {member!r} points "
                                          "outside its folder; refused")
            archive.extractall(staging)
        shutil.rmtree(path, ignore_errors=True)
        os.replace(staging, path)
    result = FetchResult(name, address, target, path, target.stat().st_size,
                         digest.hexdigest(), resumed)
    _record(folder, result)
    return result
