"""``stigraph fetch``: the real download code against a real HTTP server on 127.0.0.1 serving
sample files — a whole file, a connection dropped mid-file then resumed with a Range request,
a corrupt archive, a server that ignores ranges."""

from __future__ import annotations

import csv
import gzip
import hashlib
import http.server
import io
import json
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from stigraph.cli import main
from stigraph.errors import DataImportError
from stigraph.importers.fetch import fetch

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "cordis_horizon_europe"


def _sample_zip() -> bytes:
    """A CORDIS-like archive: the first rows of the shipped Horizon Europe files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ("he_project.csv", "he_organization.csv", "he_euroscivoc.csv"):
            with gzip.open(SHIPPED / f"{name}.gz", "rt", encoding="utf-8") as handle:
                text = "".join(line for _, line in zip(range(200), handle, strict=False))
            archive.writestr(name.replace("he_", ""), text)
    return buffer.getvalue()


class _Server:
    """Files by path; ``drop_after[path]`` cuts the first response after that many bytes."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.drop_after: dict[str, int] = {}
        self.ignore_range = False
        self.ranges: list[str | None] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return None

            def do_GET(self) -> None:
                body = server.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                wanted = self.headers.get("Range")
                server.ranges.append(wanted)
                start = 0
                if wanted and not server.ignore_range:
                    start = int(wanted.removeprefix("bytes=").split("-")[0])
                    if start >= len(body):
                        self.send_error(416)
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                else:
                    self.send_response(200)
                self.send_header("Content-Length", str(len(body) - start))
                self.end_headers()
                cut = server.drop_after.pop(self.path, None)
                if cut is not None:
                    self.wfile.write(body[start:start + cut])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body[start:])

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture()
def server() -> Iterator[_Server]:
    s = _Server()
    thread = threading.Thread(target=s.httpd.serve_forever, daemon=True)
    thread.start()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


def _checksums(folder: Path) -> list[dict[str, str]]:
    with (folder / "checksums.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_fetch_cordis_whole_archive_unpacked_and_recorded(server: _Server, tmp_path: Path
                                                          ) -> None:
    body = _sample_zip()
    server.files["/cordis.zip"] = body
    result = fetch("cordis", tmp_path, url=f"{server.url}/cordis.zip")
    assert result.file.read_bytes() == body
    assert result.sha256 == hashlib.sha256(body).hexdigest()
    assert sorted(p.name for p in result.path.iterdir()) == [
        "euroscivoc.csv", "organization.csv", "project.csv"]
    rows = _checksums(result.file.parent)
    assert [(r["file"], int(r["bytes"]), r["sha256"]) for r in rows] == [
        (result.file.name, len(body), hashlib.sha256(body).hexdigest())]
    assert not list(result.file.parent.glob("*.part"))


def test_dropped_connection_then_resumed_with_a_range(server: _Server, tmp_path: Path) -> None:
    body = _sample_zip()
    server.files["/cordis.zip"] = body
    server.drop_after["/cordis.zip"] = len(body) // 3
    with pytest.raises(DataImportError, match="run fetch again to resume"):
        fetch("cordis", tmp_path, url=f"{server.url}/cordis.zip", timeout=5)
    part = tmp_path / "fetched" / "cordis" / "cordis-HORIZONprojects-csv.zip.part"
    assert part.stat().st_size == len(body) // 3
    result = fetch("cordis", tmp_path, url=f"{server.url}/cordis.zip")
    assert server.ranges[-1] == f"bytes={len(body) // 3}-"
    assert result.resumed_from == len(body) // 3
    assert result.file.read_bytes() == body


def test_server_ignoring_the_range_sends_the_whole_file_again(server: _Server,
                                                             tmp_path: Path) -> None:
    body = json.dumps([{"ProjectsID": 1}]).encode()
    server.files["/projects"] = body
    server.drop_after["/projects"] = 5
    with pytest.raises(DataImportError):
        fetch("gcf", tmp_path, url=f"{server.url}/projects", timeout=5)
    server.ignore_range = True
    result = fetch("gcf", tmp_path, url=f"{server.url}/projects")
    assert result.resumed_from == 0 and result.file.read_bytes() == body


def test_corrupt_archive_refused_and_deleted(server: _Server, tmp_path: Path) -> None:
    body = bytearray(_sample_zip())
    # a byte inside the first member's compressed data: the CRC check must catch it
    body[60] ^= 0xFF
    server.files["/cordis.zip"] = bytes(body)
    with pytest.raises(DataImportError, match=r"corrupt|not a valid ZIP"):
        fetch("cordis", tmp_path, url=f"{server.url}/cordis.zip")
    folder = tmp_path / "fetched" / "cordis"
    assert not list(folder.glob("*.zip*")) and not (folder / "checksums.csv").exists()


def test_not_an_archive_at_all(server: _Server, tmp_path: Path) -> None:
    server.files["/cordis.zip"] = b"<html>maintenance</html>"
    with pytest.raises(DataImportError, match="not a valid ZIP"):
        fetch("cordis", tmp_path, url=f"{server.url}/cordis.zip")


def test_cli_prints_the_import_command_and_it_runs(server: _Server, tmp_path: Path) -> None:
    server.files["/cordis.zip"] = _sample_zip()
    runner = CliRunner()
    got = runner.invoke(main, ["fetch", "cordis", "--url", f"{server.url}/cordis.zip",
                               "--cache-dir", str(tmp_path)])
    assert got.exit_code == 0, got.output
    command = got.stdout.strip().splitlines()[-1]
    assert command.startswith("next: stigraph import cordis ")
    args = command.removeprefix("next: stigraph ").split()
    args[args.index("--out") + 1] = str(tmp_path / "he.nt")
    imported = runner.invoke(main, args)
    assert imported.exit_code == 0, imported.output
    assert (tmp_path / "he.nt").stat().st_size > 0


def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    got = CliRunner().invoke(main, ["fetch", "gcf", "--url", "http://127.0.0.1:9/x",
                                    "--cache-dir", str(tmp_path)])
    assert got.exit_code == 2 and "cannot connect" in got.output
