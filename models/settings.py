"""Configuration: the environment (and ``.env``) read once into one typed object.

Variable names are the ones the README documents. Secrets (``DB_PASSWORD``, the Launchpad
credentials file) live here and in the worker only; they are never put into workflow
inputs, which every Web UI user can read.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

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


def validate_table_name(name: str) -> str:
    """Return ``name`` if it is a plain SQL identifier, else raise ConfigurationError."""
    if not _IDENTIFIER.match(name or ""):
        raise ConfigurationError(
            f"EVENTS_TABLE must be a plain identifier (letters, digits, underscore; "
            f"not starting with a digit; at most 63 characters), got {name!r}"
        )
    return name


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

    def as_env(self) -> dict[str, str]:
        """These settings under the environment variable names ``from_env`` reads."""
        return {
            "DB_HOST": self.host,
            "DB_PORT": str(self.port),
            "DB_NAME": self.name,
            "DB_USER": self.user,
            "DB_PASSWORD": self.password,
            "DB_MIN_CONN": str(self.min_conn),
            "DB_MAX_CONN": str(self.max_conn),
            "EVENTS_TABLE": self.events_table,
        }

    def dsn_kwargs(self) -> dict:
        return {
            "host": self.host,
            "port": self.port,
            "dbname": self.name,
            "user": self.user,
            "password": self.password,
        }


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
    from_date: str = ""
    to_date: str = ""
    metrics_port: int = 0  # 0: no Prometheus endpoint
    db: DatabaseSettings = field(default_factory=DatabaseSettings)

    @classmethod
    def from_env(cls, env: dict | None = None, dotenv: bool = True) -> Settings:
        """Build settings from ``env`` (default: ``os.environ`` after loading ``.env``)."""
        if env is None:
            if dotenv:
                load_dotenv(PROJECT_ROOT / ".env", override=False)
            env = dict(os.environ)
        db = DatabaseSettings(
            host=env.get("DB_HOST") or "localhost",
            port=_int(env, "DB_PORT", 7000, minimum=1),
            name=env.get("DB_NAME") or "workflows-db",
            user=env.get("DB_USER") or "workflows-db",
            password=env.get("DB_PASSWORD", "workflows-db"),
            min_conn=_int(env, "DB_MIN_CONN", 1, minimum=1),
            max_conn=_int(env, "DB_MAX_CONN", 20, minimum=1),
            events_table=validate_table_name(env.get("EVENTS_TABLE") or "events"),
        )
        if db.max_conn < db.min_conn:
            raise ConfigurationError(
                f"DB_MAX_CONN ({db.max_conn}) must not be below DB_MIN_CONN ({db.min_conn})"
            )
        return cls(
            temporal_host=env.get("TEMPORAL_HOST") or "localhost:7233",
            temporal_namespace=env.get("TEMPORAL_NAMESPACE") or "default",
            temporal_ui=env.get("TEMPORAL_UI") or "http://localhost:8233",
            lp_app_id=env.get("LP_APP_ID") or "temporal-etl",
            lp_web_root=env.get("LP_WEB_ROOT") or "production",
            lp_api_version=env.get("LP_API_VERSION") or "devel",
            lp_credentials_file=env.get("LP_CREDENTIALS_FILE", ""),
            lp_max_concurrency=_int(env, "LP_MAX_CONCURRENCY", 8, minimum=1),
            lp_timeout=_int(env, "LP_TIMEOUT", 60, minimum=1),
            from_date=env.get("FROM_DATE", ""),
            to_date=env.get("TO_DATE", ""),
            metrics_port=_int(env, "METRICS_PORT", 0),
            db=db,
        )
