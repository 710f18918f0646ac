"""Data never causes a network request (issue 12, item 5): remote JSON-LD contexts.

A real HTTP server on 127.0.0.1 counts the requests it gets; an included JSON-LD file whose
@context is that server's URL must be refused, on both stores, with the server seeing none.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from stigraph.cli import main

MINI = ["--no-default-seeds", "--seeds",
        str(Path(__file__).resolve().parent / "fixtures" / "mini-seeds")]
CONTEXT = {"@context": {"name": "http://schema.org/name"}}


class _Counter(BaseHTTPRequestHandler):
    requests = 0

    def do_GET(self) -> None:
        type(self).requests += 1
        body = json.dumps(CONTEXT).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture()
def server() -> Iterator[tuple[str, type[_Counter]]]:
    handler = type("Counter", (_Counter,), {"requests": 0})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/context.jsonld", handler
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def _document(context: object) -> dict[str, object]:
    return {"@context": context, "@id": "https://example.org/x", "name": "X"}


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
@pytest.mark.parametrize("shape", ["string", "list", "nested", "import"])
def test_remote_context_is_refused_and_never_fetched(
        tmp_path: Path, server: tuple[str, type[_Counter]], store: str, shape: str) -> None:
    url, counter = server
    document: object = {
        "string": _document(url),
        "list": _document([url, {"x": "http://example.org/x"}]),
        "nested": {"@graph": [_document(url)]},
        "import": _document({"@version": 1.1, "@import": url}),
    }[shape]
    path = tmp_path / "data.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", *MINI, "--include", str(path), "--store", store,
                                       "--out", str(tmp_path / "out")])
    assert counter.requests == 0
    assert result.exit_code == 2, result.output
    assert f"@context {url} is on the network" in result.output
    assert "Traceback" not in result.output


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_inline_and_local_contexts_still_load(tmp_path: Path) -> None:
    (tmp_path / "context.jsonld").write_text(json.dumps(CONTEXT), encoding="utf-8")
    for name, context in [("inline.jsonld", CONTEXT["@context"]),
                          ("local.jsonld", "context.jsonld")]:
        path = tmp_path / name
        path.write_text(json.dumps(_document(context)), encoding="utf-8")
        result = CliRunner().invoke(main, ["build", *MINI, "--include", str(path),
                                           "--store", "memory", "--out", str(tmp_path / "o")])
        assert result.exit_code == 0, result.output
