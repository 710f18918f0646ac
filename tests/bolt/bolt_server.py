"""Run ArcadeDB with its Bolt plugin in this process until stdin closes (used by conftest.py).

Usage: python bolt_server.py ROOT BOLT_PORT HTTP_PORT DATABASE [DATABASE...]
The root password is read from the environment variable STIGRAPH_TEST_BOLT_PASSWORD so that
it never appears in a process listing. Prints ``READY <seconds>`` once Bolt accepts
connections.
"""

from __future__ import annotations

import os
import sys
import time


def main() -> None:
    started = time.perf_counter()
    root, bolt_port, http_port, *databases = sys.argv[1:]
    import arcadedb_embedded

    server = arcadedb_embedded.ArcadeDBServer(
        root_path=root,
        root_password=os.environ["STIGRAPH_TEST_BOLT_PASSWORD"],
        config={
            "server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
            "bolt_port": int(bolt_port),
            "http_port": int(http_port),
        },
    )
    server.start()
    try:
        for name in databases:
            server.create_database(name)
        print(f"READY {time.perf_counter() - started:.2f}", flush=True)
        sys.stdin.read()  # the test session closes our stdin when it is done
    finally:
        server.stop()


if __name__ == "__main__":
    main()
