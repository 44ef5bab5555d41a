"""A throwaway PostgreSQL server for tests and benchmarks: initdb in a temp dir, loopback port, stop at exit.

    python -m dateline.store.pgtemp        # starts one, prints its URL, stops on Ctrl-C

Uses Debian's PostgreSQL binaries (``/usr/lib/postgresql/<N>/bin``) or any ``initdb`` on PATH. PostgreSQL
refuses to run as root, so as root the server runs as the ``postgres`` user (``runuser``) in a directory
it owns. Durability is switched off: the data is thrown away anyway.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL binaries here, or the server would not start; the message says which."""


def find_bin_dir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(candidate, "initdb")):
            return Path(candidate)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TempPostgres:
    def __init__(self) -> None:
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise PostgresUnavailable("no PostgreSQL binaries (initdb) found in /usr/lib/postgresql/*/bin or PATH")
        self.bin_dir = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix="dateline-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
        self.process: subprocess.Popen[bytes] | None = None

    def _as_server_user(self, args: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args

    def start(self) -> TempPostgres:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        init = subprocess.run(self._as_server_user(
            [str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", self.user, "-A", "trust", "-E", "UTF8",
             "--no-sync"]), capture_output=True, text=True)
        if init.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {init.stderr.strip()[-500:]}")
        return self.launch()

    def launch(self) -> TempPostgres:
        """Start the server on the existing data directory (again, after ``halt``)."""
        log = open(self.dir / "server.log", "ab")  # noqa: SIM115 (the server process keeps writing to it)
        self.process = subprocess.Popen(self._as_server_user(
            [str(self.bin_dir / "postgres"), "-D", str(self.data), "-p", str(self.port), "-h", "127.0.0.1",
             "-k", str(self.dir), "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
             "-c", "max_connections=50"]), stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise PostgresUnavailable(f"postgres exited: {(self.dir / 'server.log').read_text()[-500:]}")
            try:
                psycopg.connect(self.url("postgres"), connect_timeout=1).close()
                return self
            except psycopg.OperationalError:
                time.sleep(0.2)
        self.stop()
        raise PostgresUnavailable("postgres did not accept connections within 30 s")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A fresh empty database; returns its URL."""
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')  # name comes from the caller's code, not input
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def halt(self) -> None:
        """Stop the server but keep its data (``launch`` starts it again)."""
        if self.process is not None and self.process.poll() is None:
            # "fast" shutdown: open client connections are cut rather than waited for.
            subprocess.run(self._as_server_user([str(self.bin_dir / "pg_ctl"), "stop", "-D", str(self.data),
                                                 "-m", "fast", "-w"]), capture_output=True, timeout=30)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def stop(self) -> None:
        self.halt()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> TempPostgres:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:
    with TempPostgres() as server:
        print(server.url(), flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
