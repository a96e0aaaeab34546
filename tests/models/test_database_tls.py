"""PostgreSQL over TLS: ``DATABASE_URL`` / ``DB_SSLMODE`` / ``DB_SSLROOTCERT`` against the
embedded server, with a CA and server certificate made for the test.

The bundled PostgreSQL is built without SSL (``ssl=on`` fails: "SSL is not supported by
this build"), so a ``TLSFront`` answers PostgreSQL's SSLRequest and terminates TLS in
front of it; libpq's side (sslmode, CA verification, host name check) is unchanged.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import pytest

from devstack.net import free_port
from devstack.postgres import EmbeddedPostgres
from models.database import Database
from models.exceptions import ConfigurationError, DatabaseError
from models.settings import Settings
from tests.fixtures.postgres import TEST_RETRY, server_dir
from tests.fixtures.tls import Certificates, TLSFront, make_certificates

PASSWORD = "tls-test-password-7d3f"


@dataclass
class TLSServer:
    port: int
    certs: Certificates


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    certs = make_certificates(tmp_path_factory.mktemp("pg-certs"))
    with server_dir("temporaletl-pg-tls-") as path:
        server = EmbeddedPostgres(path, port=free_port(), password=PASSWORD, durable=False)
        server.start()
        try:
            with TLSFront(certs, server.port, postgres=True) as front:
                yield TLSServer(front.port, certs)
        finally:
            server.stop()


def url(server: TLSServer, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"postgresql://workflows-db:{PASSWORD}@localhost:{server.port}/workflows-db?{query}"


def test_verify_full_connects_over_tls(tls_server):
    server, certs = tls_server, tls_server.certs
    env = {"DATABASE_URL": url(server, sslmode="verify-full", sslrootcert=str(certs.ca))}
    settings = Settings.from_env(env, dotenv=False)
    assert (settings.db.host, settings.db.port, settings.db.sslmode) == (
        "localhost",
        server.port,
        "verify-full",
    )
    assert PASSWORD not in repr(settings)
    with (
        Database.for_settings(settings.db, retry=TEST_RETRY) as db,
        db.get_connection() as conn,
    ):
        assert conn.info.ssl_in_use
        assert conn.info.ssl_attribute("protocol").startswith("TLS")
        db.count_events()


def test_db_variables_with_sslmode_and_rootcert(tls_server):
    server, certs = tls_server, tls_server.certs
    env = {
        "DB_HOST": "127.0.0.1",  # the certificate names the address too
        "DB_PORT": str(server.port),
        "DB_PASSWORD": PASSWORD,
        "DB_SSLMODE": "verify-full",
        "DB_SSLROOTCERT": str(certs.ca),
    }
    settings = Settings.from_env(env, dotenv=False)
    with Database.for_settings(settings.db, retry=TEST_RETRY) as db:
        assert db.health_check()


def test_a_wrong_ca_fails_at_once_with_a_clear_message(tls_server, caplog):
    server, certs = tls_server, tls_server.certs
    wrong_ca = certs.ca.parent / "other-ca.crt"
    env = {"DATABASE_URL": url(server, sslmode="verify-full", sslrootcert=str(wrong_ca))}
    settings = Settings.from_env(env, dotenv=False)
    started = time.monotonic()
    caplog.set_level(logging.DEBUG)
    with (
        pytest.raises(DatabaseError) as info,
        Database.for_settings(settings.db, retry=TEST_RETRY) as db,
    ):
        db.count_events()
    assert time.monotonic() - started < 5, "a certificate that does not verify is not retried"
    message = str(info.value)
    assert "certificate verify failed" in message and "DB_SSLROOTCERT" in message
    assert PASSWORD not in message and PASSWORD not in caplog.text


def test_require_refused_by_a_server_without_tls(postgres):
    settings = Settings.from_env(
        {"DATABASE_URL": postgres.uri + "?sslmode=require"}, dotenv=False
    ).db
    with (
        pytest.raises(DatabaseError, match="(?i)does not support SSL"),
        Database.for_settings(settings, retry=TEST_RETRY) as db,
    ):
        db.count_events()


def test_bad_url_and_sslmode_are_configuration_errors():
    with pytest.raises(ConfigurationError) as info:
        Settings.from_env({"DATABASE_URL": "postgresql://u:hunter2@h:notaport/x"}, dotenv=False)
    assert "hunter2" not in str(info.value)
    with pytest.raises(ConfigurationError, match="DB_SSLMODE"):
        Settings.from_env({"DB_SSLMODE": "verify"}, dotenv=False)
