"""A PostgreSQL server the tests start themselves: Debian's ``postgresql`` binaries, a cluster in a
temporary folder, listening on 127.0.0.1 with a free port, fsync off, stopped when the session ends.

Each test gets a database of its own, made from a template that already holds the server's tables
(CREATE DATABASE ... TEMPLATE is a file copy), and dropped after the test. As root (CI) the
binaries run as the ``postgres`` system user, since initdb refuses root.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from server.models import metadata
from tests.server.serving import free_port

DEBIAN_PACKAGE = "postgresql"
SUPERUSER = "postgres"
TEMPLATE = "kiosk_template"
START_TIMEOUT_S = 30
STOP_TIMEOUT_S = 10
COMMAND_TIMEOUT_S = 60


class PostgresMissing(Exception):
    """Why this machine cannot run the PostgreSQL tests: one line for the skip reason."""


def bin_dir() -> Path:
    """The folder of initdb, pg_ctl and postgres: Debian's newest, else the PATH's."""
    versions = [Path(path).parent for path in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    if versions:
        return max(versions, key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit() else 0)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise PostgresMissing(f"PostgreSQL not found (no initdb): install the Debian package {DEBIAN_PACKAGE} (make test does)")


class PostgresServer:
    """A running cluster; :meth:`database` gives each test a fresh database from the template."""

    def __init__(self, folder: Path, port: int, bin_folder: Path, run_as: list[str]) -> None:
        self.folder, self.port, self.bin, self.run_as = folder, port, bin_folder, run_as
        self.data = folder / "data"
        self._names = itertools.count(1)
        self._admin = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT", pool_size=1)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    @contextmanager
    def database(self) -> Iterator[str]:
        """A fresh database holding the server's (empty) tables; yields its URL and drops it after."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE {TEMPLATE} STRATEGY FILE_COPY'))
        try:
            yield self.url(name)
        finally:
            with self._admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def make_template(self) -> None:
        with self._admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {TEMPLATE}"))
        engine = create_engine(self.url(TEMPLATE))
        try:
            metadata.create_all(engine)
        finally:
            engine.dispose()
        with self._admin.connect() as connection:
            connection.execute(text(f"ALTER DATABASE {TEMPLATE} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"))

    def run(self, program: str, *args: str) -> None:
        command = [*self.run_as, str(self.bin / program), *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S, cwd=self.folder)
        if done.returncode != 0:
            output = " ".join((done.stderr or done.stdout).split())
            raise RuntimeError(f"{program} failed with exit {done.returncode}: {output[:500]}")

    def stop(self) -> None:
        self._admin.dispose()
        try:
            self.run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w", "-t", str(STOP_TIMEOUT_S))
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _run_as() -> tuple[list[str], int | None]:
    """The command prefix that runs the binaries as a user initdb accepts, and that user's uid (None: us)."""
    if os.geteuid() != 0:
        return [], None
    try:
        user = pwd.getpwnam(SUPERUSER)
    except KeyError:
        reason = f"running as root and no {SUPERUSER} user to run PostgreSQL as: install the Debian package {DEBIAN_PACKAGE}"
        raise PostgresMissing(reason) from None
    runuser = shutil.which("runuser")
    if runuser is None:
        raise PostgresMissing("running as root and no runuser to run PostgreSQL as the postgres user")
    return [runuser, "-u", SUPERUSER, "--"], user.pw_uid


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """Start a throwaway cluster (raises :class:`PostgresMissing` when it cannot) and stop it after."""
    binaries = bin_dir()
    run_as, uid = _run_as()
    folder = Path(tempfile.mkdtemp(prefix="kiosk-postgres-"))
    if uid is not None:
        os.chown(folder, uid, -1)
    server = PostgresServer(folder, free_port(), binaries, run_as)
    started = False
    try:
        server.run("initdb", "-D", str(server.data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")
        options = (
            f"-p {server.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
            " -c full_page_writes=off -c max_connections=200 -c shared_buffers=32MB"
        )
        log = folder / "postgres.log"
        server.run("pg_ctl", "start", "-D", str(server.data), "-l", str(log), "-o", options, "-w", "-t", str(START_TIMEOUT_S))
        started = True
        server.make_template()
        yield server
    finally:
        if started:
            server.stop()
        else:
            shutil.rmtree(folder, ignore_errors=True)
