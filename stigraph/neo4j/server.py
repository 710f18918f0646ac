"""A local Neo4j 5 Community server run from the jars Maven resolved (no Docker).

``make neo4j-resolve`` resolves ``tools/neo4j/pom.xml`` into ``.neo4j/dist`` (``lib/``: the
server assembly's class path; ``plugins/``: the open Graph Data Science library). This module
writes a ``neo4j.conf`` under a home folder, starts ``org.neo4j.server.CommunityEntryPoint``
on ``lib/*:plugins/*`` (plugins on the class path too: GDS registers a kernel extension),
waits until Bolt answers, replaces the initial ``neo4j/neo4j`` password, and stops it.

The same code serves ``make neo4j-up``/``neo4j-down`` (home ``.neo4j``, ports 7687/7474), the
test suite (a home under pytest's temporary folder, free ports) and the load benchmark.
Usage as a command::

    python -m stigraph.neo4j.server up [--home .neo4j] [--bolt-port 7687] [--http-port 7474]
    python -m stigraph.neo4j.server down [--home .neo4j]
    python -m stigraph.neo4j.server status [--home .neo4j]

The password is ``NEO4J_PASSWORD`` when set, otherwise the one in ``HOME/password``
(generated on first start, readable by its owner only). It never appears in a process
listing: it is set over Bolt, with a parameter.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from stigraph.errors import Neo4jError
from stigraph.neo4j.settings import Neo4jSettings

__all__ = ["LocalNeo4j", "default_dist", "read_password", "start", "stop"]

INITIAL_PASSWORD = "neo4j"
START_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0

# The JVM flags of Neo4j's own launcher that matter here (see its conf/neo4j.conf).
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
)


def project_root() -> Path:
    """The checkout this module runs from (where ``tools/neo4j/pom.xml`` is)."""
    return Path(__file__).resolve().parents[2]


def default_dist() -> Path:
    return project_root() / ".neo4j" / "dist"


@dataclass
class LocalNeo4j:
    """A server home: its configuration, data, logs, pid file and password file."""

    home: Path
    bolt_port: int = 7687
    http_port: int = 7474
    dist: Path | None = None
    heap: str = "2g"
    page_cache: str = "1g"
    #: more JVM flags (the tests pass ``-XX:TieredStopAtLevel=1``: a faster start)
    jvm_flags: tuple[str, ...] = ()

    @property
    def pid_file(self) -> Path:
        return self.home / "run" / "neo4j.pid"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "neo4j.log"

    @property
    def uri(self) -> str:
        return f"bolt://localhost:{self.bolt_port}"

    def settings(self, password: str | None = None) -> Neo4jSettings:
        return Neo4jSettings(uri=self.uri, user="neo4j",
                             password=password or read_password(self), database="neo4j")

    def running_pid(self) -> int | None:
        """The pid of this home's server if it runs, else ``None`` (a stale pid file is removed)."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            self.pid_file.unlink(missing_ok=True)
            return None
        except PermissionError:
            return pid
        # a zombie (our own child, killed) counts as gone
        status = Path(f"/proc/{pid}/status")
        if status.exists() and "\nState:\tZ" in status.read_text():
            return None
        return pid


def read_password(server: LocalNeo4j) -> str:
    """``NEO4J_PASSWORD``, else the password file, else a new one written to that file."""
    env = os.environ.get("NEO4J_PASSWORD")
    if env:
        if len(env) < 8:
            raise Neo4jError("NEO4J_PASSWORD must have at least 8 characters (Neo4j's minimum)")
        return env
    if server.password_file.exists():
        return server.password_file.read_text(encoding="utf-8").strip()
    server.home.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(18)
    fd = os.open(server.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    return password


def _conf(server: LocalNeo4j, dist: Path) -> str:
    home = server.home.resolve()
    return "\n".join([
        "# written by stigraph.neo4j.server on every start; edit its options instead",
        f"server.directories.data={home / 'data'}",
        f"server.directories.logs={home / 'logs'}",
        f"server.directories.run={home / 'run'}",
        f"server.directories.import={home / 'import'}",
        f"server.directories.plugins={dist / 'plugins'}",
        "server.default_listen_address=127.0.0.1",
        f"server.bolt.listen_address=127.0.0.1:{server.bolt_port}",
        "server.bolt.advertised_address=localhost:" + str(server.bolt_port),
        f"server.http.listen_address=127.0.0.1:{server.http_port}",
        "server.http.advertised_address=localhost:" + str(server.http_port),
        "server.https.enabled=false",
        "dbms.security.auth_enabled=true",
        "dbms.security.procedures.unrestricted=gds.*",
        # no traffic leaves this machine
        "dbms.usage_report.enabled=false",
        f"server.memory.heap.initial_size={server.heap}",
        f"server.memory.heap.max_size={server.heap}",
        f"server.memory.pagecache.size={server.page_cache}",
        "",
    ])


def _java() -> str:
    java_home = os.environ.get("NEO4J_JAVA_HOME") or os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not java or not Path(java).exists():
        raise Neo4jError("no java found: Neo4j 5.26 needs Java 17 or 21 "
                         "(set NEO4J_JAVA_HOME or JAVA_HOME, or put java on PATH)")
    out = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    match = re.search(r'version "(\d+)', out)
    major = int(match.group(1)) if match else 0
    if major not in (17, 21):
        raise Neo4jError(f"{java} is Java {major or '?'}; Neo4j 5.26 runs on Java 17 or 21 "
                         "(set NEO4J_JAVA_HOME to one)")
    return java


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def start(server: LocalNeo4j, password: str | None = None, *,
          detach: bool = False) -> subprocess.Popen[bytes]:
    """Start the server; return once Bolt accepts ``password`` and ``neo4j`` is online.

    ``detach=True`` (``make neo4j-up``) gives it its own session so that it outlives this
    process. Otherwise it dies with this process, however that ends (Linux's parent-death
    signal): a test run that is killed leaves no server behind.

    Raises :class:`Neo4jError` if it already runs, a port is taken, the jars are missing or
    the server does not come up (with the end of its log).
    """
    dist = (server.dist or default_dist()).resolve()
    if not (dist / "lib").is_dir() or not any((dist / "lib").glob("neo4j-server-*.jar")):
        raise Neo4jError(f"the Neo4j jars are not in {dist}: run `make neo4j-resolve` "
                         "(Maven resolves tools/neo4j/pom.xml)")
    pid = server.running_pid()
    if pid is not None:
        raise Neo4jError(f"Neo4j already runs from {server.home} (pid {pid}) on {server.uri}")
    for port in (server.bolt_port, server.http_port):
        if _port_open(port):
            raise Neo4jError(f"port {port} is already in use on localhost: another Neo4j? "
                             "(stop it, or choose --bolt-port/--http-port)")
    password = password or read_password(server)
    java = _java()
    for sub in ("conf", "data", "logs", "run", "import"):
        (server.home / sub).mkdir(parents=True, exist_ok=True)
    (server.home / "conf" / "neo4j.conf").write_text(_conf(server, dist), encoding="utf-8")
    classpath = f"{dist / 'lib'}/*:{dist / 'plugins'}/*"
    command = [java, f"-Xms{server.heap}", f"-Xmx{server.heap}", *JVM_FLAGS, *server.jvm_flags,
               "-cp", classpath,
               "org.neo4j.server.CommunityEntryPoint", f"--home-dir={server.home.resolve()}",
               f"--config-dir={(server.home / 'conf').resolve()}"]
    console = (server.home / "logs" / "console.log").open("ab")
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=console,
                               stderr=subprocess.STDOUT, start_new_session=detach,
                               preexec_fn=None if detach else _die_with_parent,
                               cwd=server.home)
    console.close()
    server.pid_file.write_text(f"{process.pid}\n")
    try:
        _wait_and_set_password(server, process, password)
    except BaseException:
        _terminate(process.pid, process)
        server.pid_file.unlink(missing_ok=True)
        raise
    return process


def _die_with_parent() -> None:
    """In the child before exec: ``SIGKILL`` it when its parent exits (Linux ``prctl``)."""
    import ctypes

    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)


def _wait_and_set_password(server: LocalNeo4j, process: subprocess.Popen[bytes],
                           password: str) -> None:
    from neo4j import exceptions as nx

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Neo4jError(f"Neo4j exited with code {process.returncode} while starting; "
                             f"end of {server.log_file}:\n{_tail(server.log_file)}\n"
                             f"console:\n{_tail(server.home / 'logs' / 'console.log')}")
        if not _port_open(server.bolt_port):
            time.sleep(0.5)
            continue
        try:
            _set_password(server, password)
            _wait_online(server, password)
            return
        except (nx.ServiceUnavailable, nx.SessionExpired, nx.TransientError, OSError):
            time.sleep(0.5)
    raise Neo4jError(f"Neo4j did not answer on {server.uri} within {START_TIMEOUT:.0f} s; "
                     f"end of {server.log_file}:\n{_tail(server.log_file)}")


def _set_password(server: LocalNeo4j, password: str) -> None:
    """Log in with ``password``; on a new database, replace the initial one with it."""
    import neo4j
    from neo4j import exceptions as nx

    check = "SHOW DATABASE neo4j YIELD name"
    try:
        with neo4j.GraphDatabase.driver(server.uri, auth=("neo4j", password)) as driver:
            driver.execute_query(check, database_="system")
        return
    except nx.AuthError:
        pass
    try:
        with neo4j.GraphDatabase.driver(server.uri, auth=("neo4j", INITIAL_PASSWORD)) as driver:
            driver.execute_query("ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                                 old=INITIAL_PASSWORD, new=password, database_="system")
    except nx.AuthError as exc:
        raise Neo4jError(
            f"the Neo4j data in {server.home} has another password than the one given "
            "(NEO4J_PASSWORD or the password file): set that one, or delete "
            f"{server.home / 'data'} to start empty") from exc


def _wait_online(server: LocalNeo4j, password: str) -> None:
    """Wait until the ``neo4j`` database is online (Bolt may answer a moment before)."""
    import neo4j

    with neo4j.GraphDatabase.driver(server.uri, auth=("neo4j", password)) as driver:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            with driver.session(database="system") as session:
                state = session.run("SHOW DATABASE neo4j YIELD currentStatus").single()
            if state and state[0] == "online":
                return
            time.sleep(0.5)
    raise Neo4jError(f"database neo4j did not come online on {server.uri}")


def _signal(pid: int, sig: int) -> None:
    """Send ``sig`` to the server's process group if it leads one, else to the process."""
    try:
        if os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _terminate(pid: int, process: subprocess.Popen[bytes] | None = None) -> None:
    _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline:
        if process is not None:
            if process.poll() is not None:
                return
        else:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
        time.sleep(0.2)
    _signal(pid, signal.SIGKILL)
    if process is not None:
        process.wait()


def stop(server: LocalNeo4j, process: subprocess.Popen[bytes] | None = None) -> bool:
    """Stop this home's server (``SIGTERM``, then ``SIGKILL`` after a minute); ``False`` if
    none ran."""
    pid = process.pid if process is not None and process.poll() is None else server.running_pid()
    if pid is None:
        server.pid_file.unlink(missing_ok=True)
        return False
    _terminate(pid, process)
    server.pid_file.unlink(missing_ok=True)
    return True


def kill(server: LocalNeo4j, process: subprocess.Popen[bytes]) -> None:
    """``SIGKILL`` the server, as a crash would (the tests use it)."""
    _signal(process.pid, signal.SIGKILL)
    process.wait()
    server.pid_file.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stigraph.neo4j.server",
                                     description="Run a local Neo4j Community server.")
    parser.add_argument("action", choices=("up", "down", "status"))
    parser.add_argument("--home", type=Path, default=project_root() / ".neo4j")
    parser.add_argument("--dist", type=Path, default=None)
    parser.add_argument("--bolt-port", type=int, default=7687)
    parser.add_argument("--http-port", type=int, default=7474)
    parser.add_argument("--heap", default="2g")
    parser.add_argument("--page-cache", default="1g")
    args = parser.parse_args(argv)
    server = LocalNeo4j(args.home, args.bolt_port, args.http_port, args.dist, args.heap,
                        args.page_cache)
    where = f"{server.uri} (HTTP http://localhost:{server.http_port})"
    try:
        if args.action == "status":
            pid = server.running_pid()
            print(f"Neo4j runs from {server.home} (pid {pid})" if pid else
                  f"no Neo4j runs from {server.home}")
            return 0 if pid else 3
        if args.action == "down":
            print(f"stopped Neo4j ({server.home})" if stop(server) else
                  f"no Neo4j was running from {server.home}")
            return 0
        pid = server.running_pid()
        if pid is not None:
            print(f"Neo4j is already running (pid {pid}) on {where}; "
                  "`make neo4j-down` stops it")
            return 0
        started = time.monotonic()
        process = start(server, detach=True)
        source = ("NEO4J_PASSWORD" if os.environ.get("NEO4J_PASSWORD")
                  else f"the file {server.password_file}")
        print(f"Neo4j {version(server.dist or default_dist())} is up on {where} after "
              f"{time.monotonic() - started:.0f} s (pid {process.pid}); user neo4j, password "
              f"from {source}; data in {server.home / 'data'}")
        return 0
    except Neo4jError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def version(dist: Path) -> str:
    """The Neo4j version of the resolved jars (from the server jar's name)."""
    for jar in (dist / "lib").glob("neo4j-server-*.jar"):
        return jar.name.removeprefix("neo4j-server-").removesuffix(".jar")
    return "?"


if __name__ == "__main__":
    raise SystemExit(main())
