"""Configuration: the environment (and ``.env``) read once into one typed object.

Variable names are the ones the README documents. Secrets (``DB_PASSWORD``, the Launchpad
credentials file, ``GITHUB_TOKEN``, ``PSEUDONYM_KEY``) live here and in the worker only;
they are never put into workflow inputs, which every Web UI user can read.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from dotenv import load_dotenv
from psycopg2.extensions import parse_dsn
from temporalio.envconfig import ClientConfigProfile, ClientConfigTLS, ClientConnectConfig

from models.exceptions import ConfigurationError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def _int(env: dict, name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, got {value}")
    return value


def _list(env: dict, name: str) -> tuple[str, ...]:
    """A comma-separated variable as a tuple of its non-empty, stripped parts."""
    return tuple(part.strip() for part in env.get(name, "").split(",") if part.strip())


def _bool(env: dict, name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigurationError(f"{name} must be true or false, got {raw!r}")


def validate_table_name(name: str, variable: str = "EVENTS_TABLE") -> str:
    """Return ``name`` if it is a plain SQL identifier, else raise ConfigurationError."""
    if not _IDENTIFIER.match(name or ""):
        raise ConfigurationError(
            f"{variable} must be a plain identifier (letters, digits, underscore; "
            f"not starting with a digit; at most 63 characters), got {name!r}"
        )
    return name


SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
# libpq URI parameters kept apart from the connection's identity (host, port, name, user)
_URL_FIELDS = {"host", "port", "dbname", "user", "password", "sslmode", "sslrootcert"}


def validate_schema_name(name: str) -> str:
    """A plain lower-case identifier: it travels unquoted in the connection's search_path,
    where PostgreSQL would fold upper case."""
    validate_table_name(name, "DB_SCHEMA")
    if name != name.lower():
        raise ConfigurationError(f"DB_SCHEMA must be lower case, got {name!r}")
    return name


# The development default, like DB_PASSWORD's: fine for the embedded stack and tests,
# never for real data (the worker warns at start while it is in use).
DEVELOPMENT_PSEUDONYM_KEY = "temporaletl-development-pseudonym-key"


@dataclass(frozen=True)
class DatabaseSettings:
    host: str = "localhost"
    port: int = 7000
    name: str = "workflows-db"
    user: str = "workflows-db"
    password: str = field(default="workflows-db", repr=False)
    min_conn: int = 1
    max_conn: int = 20
    events_table: str = "events"
    # libpq's sslmode ("" = libpq's default, prefer) and the CA file verify-* checks against
    sslmode: str = ""
    sslrootcert: str = ""
    # further libpq parameters from DATABASE_URL (sslcert, sslkey, connect_timeout, ...)
    libpq_params: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    # The PostgreSQL schema holding every table of the application (events, roster,
    # migrations...): one search_path setting moves them all, and tests get one each.
    schema: str = "public"

    def as_env(self) -> dict[str, str]:
        """These settings under the environment variable names ``from_env`` reads."""
        env = {
            "DB_HOST": self.host,
            "DB_PORT": str(self.port),
            "DB_NAME": self.name,
            "DB_USER": self.user,
            "DB_PASSWORD": self.password,
            "DB_MIN_CONN": str(self.min_conn),
            "DB_MAX_CONN": str(self.max_conn),
            "EVENTS_TABLE": self.events_table,
            "DB_SSLMODE": self.sslmode,
            "DB_SSLROOTCERT": self.sslrootcert,
            "DB_SCHEMA": self.schema,
        }
        if self.libpq_params:  # only a URL carries these
            env["DATABASE_URL"] = self.url()
        return env

    def url(self) -> str:
        """These settings as a libpq URI (with the password: a secret, like DB_PASSWORD)."""
        params = {"sslmode": self.sslmode, "sslrootcert": self.sslrootcert}
        params.update(self.libpq_params)
        query = urlencode({k: v for k, v in params.items() if v})
        return (
            f"postgresql://{quote(self.user, safe='')}:{quote(self.password, safe='')}"
            f"@{self.host}:{self.port}/{quote(self.name, safe='')}" + (f"?{query}" if query else "")
        )

    def dsn_kwargs(self) -> dict:
        kwargs = {
            "host": self.host,
            "port": self.port,
            "dbname": self.name,
            "user": self.user,
            "password": self.password,
            **dict(self.libpq_params),
        }
        if self.sslmode:
            kwargs["sslmode"] = self.sslmode
        if self.sslrootcert:
            kwargs["sslrootcert"] = self.sslrootcert
        return kwargs


def _database_url(env: dict) -> dict[str, str]:
    """The parts of ``DATABASE_URL`` (a libpq URI or key=value string), or ``{}``."""
    url = env.get("DATABASE_URL", "")
    if not url:
        return {}
    try:
        return parse_dsn(url)
    except Exception:  # psycopg2's message would quote the URL, password included
        raise ConfigurationError(
            "DATABASE_URL is not a valid libpq connection URI "
            "(postgresql://user:password@host:port/dbname?sslmode=verify-full)"
        ) from None


def _database_settings(env: dict) -> DatabaseSettings:
    """``DATABASE_URL`` if set, else ``DB_HOST``..``DB_PASSWORD``; ``DB_SSLMODE`` and
    ``DB_SSLROOTCERT`` override the URL's ``sslmode``/``sslrootcert``."""
    url = _database_url(env)
    if url:
        parts = {
            "DB_HOST": url.get("host", ""),
            "DB_PORT": url.get("port", ""),
            "DB_NAME": url.get("dbname", ""),
            "DB_USER": url.get("user", ""),
            "DB_PASSWORD": url.get("password", ""),
        }
        env = {**env, **parts}
    sslmode = env.get("DB_SSLMODE") or url.get("sslmode", "")
    if sslmode and sslmode not in SSL_MODES:
        raise ConfigurationError(
            f"DB_SSLMODE must be one of {', '.join(SSL_MODES)}, got {sslmode!r}"
        )
    db = DatabaseSettings(
        host=env.get("DB_HOST") or "localhost",
        port=_int(env, "DB_PORT", 7000 if not url else 5432, minimum=1),
        name=env.get("DB_NAME") or "workflows-db",
        user=env.get("DB_USER") or "workflows-db",
        password=env.get("DB_PASSWORD", "workflows-db"),
        min_conn=_int(env, "DB_MIN_CONN", 1, minimum=1),
        max_conn=_int(env, "DB_MAX_CONN", 20, minimum=1),
        events_table=validate_table_name(env.get("EVENTS_TABLE") or "events"),
        schema=validate_schema_name(env.get("DB_SCHEMA") or "public"),
        sslmode=sslmode,
        sslrootcert=env.get("DB_SSLROOTCERT") or url.get("sslrootcert", ""),
        libpq_params=tuple(sorted((k, v) for k, v in url.items() if k not in _URL_FIELDS)),
    )
    if db.max_conn < db.min_conn:
        raise ConfigurationError(
            f"DB_MAX_CONN ({db.max_conn}) must not be below DB_MIN_CONN ({db.min_conn})"
        )
    return db


# Read by temporalio.envconfig, not here (listed so that a search for a name finds this):
# "TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "TEMPORAL_API_KEY", "TEMPORAL_PROFILE",
# "TEMPORAL_CONFIG_FILE", "TEMPORAL_TLS", "TEMPORAL_TLS_CLIENT_CERT_PATH",
# "TEMPORAL_TLS_CLIENT_KEY_PATH", "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
# "TEMPORAL_TLS_SERVER_NAME", "TEMPORAL_TLS_*_DATA", "TEMPORAL_GRPC_META_*".
def _temporal_profile(env: dict) -> ClientConfigProfile:
    """Temporal's own client configuration: the TOML profile (``TEMPORAL_CONFIG_FILE``,
    default ``~/.config/temporalio/temporal.toml``; ``TEMPORAL_PROFILE``, default
    ``default``) overridden by ``TEMPORAL_ADDRESS``, ``TEMPORAL_NAMESPACE``,
    ``TEMPORAL_API_KEY``, ``TEMPORAL_TLS_*``... ``TEMPORAL_HOST`` is our older name of
    ``TEMPORAL_ADDRESS`` (which wins when both are set)."""
    env = {k: v for k, v in env.items() if v != "" or not k.startswith("TEMPORAL_")}
    if env.get("TEMPORAL_HOST") and not env.get("TEMPORAL_ADDRESS"):
        env["TEMPORAL_ADDRESS"] = env["TEMPORAL_HOST"]
    try:
        return ClientConfigProfile.load(env.get("TEMPORAL_PROFILE"), override_env_vars=env)
    except Exception as err:  # the SDK's ConfigError: a missing profile or file, bad TOML
        raise ConfigurationError(f"Temporal client configuration: {err}") from None


@dataclass(frozen=True)
class Settings:
    temporal_host: str = "localhost:7233"
    temporal_namespace: str = "default"
    temporal_ui: str = "http://localhost:8233"
    lp_app_id: str = "temporal-etl"
    lp_web_root: str = "production"
    lp_api_version: str = "devel"
    lp_credentials_file: str = field(default="", repr=False)
    lp_max_concurrency: int = 8
    lp_timeout: float = 60.0
    github_token: str = field(default="", repr=False)  # empty: anonymous
    github_api_url: str = "https://api.github.com"
    github_owners: tuple[str, ...] = ()
    github_max_concurrency: int = 8
    # No gaps: how far a scheduled run's window may widen back to a watermark, and how
    # far back a person with no watermark yet starts (see models/etl/queuer_window.py).
    queuer_max_widen_days: int = 91
    queuer_new_person_lookback_days: int = 28
    from_date: str = ""
    to_date: str = ""
    metrics_port: int = 0  # 0: no Prometheus endpoint
    # Keys the pseudonyms of logins outside the roster: secret, worker-side only.
    pseudonym_key: str = field(default=DEVELOPMENT_PSEUDONYM_KEY, repr=False)
    store_comment_bodies: bool = False
    roster_refresh_seconds: int = 60
    db: DatabaseSettings = field(default_factory=DatabaseSettings)
    # Temporal Cloud / a TLS cluster: API key, TLS (None: plain, unless an API key is set),
    # gRPC headers; secrets all, hence no repr
    temporal_api_key: str = field(default="", repr=False)
    temporal_tls: ClientConfigTLS | None = field(default=None, repr=False)
    temporal_rpc_metadata: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    def temporal_connect_config(self) -> ClientConnectConfig:
        """Keyword arguments of ``temporalio.client.Client.connect`` for these settings,
        as the SDK's environment configuration builds them (an API key implies TLS)."""
        profile = ClientConfigProfile(
            address=self.temporal_host,
            namespace=self.temporal_namespace,
            api_key=self.temporal_api_key or None,
            tls=self.temporal_tls,
            grpc_meta=dict(self.temporal_rpc_metadata),
        )
        return profile.to_client_connect_config()

    @classmethod
    def from_env(cls, env: dict | None = None, dotenv: bool = True) -> Settings:
        """Build settings from ``env`` (default: ``os.environ`` after loading ``.env``)."""
        if env is None:
            if dotenv:
                load_dotenv(PROJECT_ROOT / ".env", override=False)
            env = dict(os.environ)
        temporal = _temporal_profile(env)
        return cls(
            temporal_host=temporal.address or "localhost:7233",
            temporal_namespace=temporal.namespace or "default",
            temporal_api_key=temporal.api_key or "",
            temporal_tls=temporal.tls,
            temporal_rpc_metadata=tuple(sorted(temporal.grpc_meta.items())),
            temporal_ui=env.get("TEMPORAL_UI") or "http://localhost:8233",
            lp_app_id=env.get("LP_APP_ID") or "temporal-etl",
            lp_web_root=env.get("LP_WEB_ROOT") or "production",
            lp_api_version=env.get("LP_API_VERSION") or "devel",
            lp_credentials_file=env.get("LP_CREDENTIALS_FILE", ""),
            lp_max_concurrency=_int(env, "LP_MAX_CONCURRENCY", 8, minimum=1),
            lp_timeout=_int(env, "LP_TIMEOUT", 60, minimum=1),
            github_token=env.get("GITHUB_TOKEN", "").strip(),
            github_api_url=env.get("GITHUB_API_URL") or "https://api.github.com",
            github_owners=_list(env, "GITHUB_OWNERS"),
            github_max_concurrency=_int(env, "GITHUB_MAX_CONCURRENCY", 8, minimum=1),
            queuer_max_widen_days=_int(env, "QUEUER_MAX_WIDEN_DAYS", 91),
            queuer_new_person_lookback_days=_int(env, "QUEUER_NEW_PERSON_LOOKBACK_DAYS", 28),
            from_date=env.get("FROM_DATE", ""),
            to_date=env.get("TO_DATE", ""),
            metrics_port=_int(env, "METRICS_PORT", 0),
            pseudonym_key=env.get("PSEUDONYM_KEY") or DEVELOPMENT_PSEUDONYM_KEY,
            store_comment_bodies=_bool(env, "STORE_COMMENT_BODIES", False),
            roster_refresh_seconds=_int(env, "ROSTER_REFRESH_SECONDS", 60, minimum=1),
            db=_database_settings(env),
        )
