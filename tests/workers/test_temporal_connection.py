"""The Temporal client is configured the SDK's way (``temporalio.envconfig``): an address,
namespace, API key, TLS files and a TOML profile reach ``connect`` and work against a
server that requires TLS and a client certificate.

The dev server cannot serve TLS itself; ``TLSFront`` terminates TLS in front of it, as a
load balancer in front of a cluster does.
"""

from __future__ import annotations

import asyncio

import pytest
from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.service import TLSConfig

from models.exceptions import ConfigurationError
from models.settings import Settings
from tests.fixtures.tls import TLSFront, make_certificates
from workers.etl_worker import connect


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    return make_certificates(tmp_path_factory.mktemp("certs"))


def tls_env(certs, port: int, **extra: str) -> dict[str, str]:
    return {
        "TEMPORAL_ADDRESS": f"localhost:{port}",
        "TEMPORAL_TLS_SERVER_CA_CERT_PATH": str(certs.ca),
        "TEMPORAL_TLS_CLIENT_CERT_PATH": str(certs.client_cert),
        "TEMPORAL_TLS_CLIENT_KEY_PATH": str(certs.client_key),
        **extra,
    }


def system_info(settings: Settings):
    async def go():
        client = await connect(settings)
        return await client.workflow_service.get_system_info(GetSystemInfoRequest())

    return asyncio.run(go())


def test_mutual_tls_and_api_key_reach_a_tls_server(certs, temporal_server):
    with TLSFront(certs, temporal_server.port, require_client_cert=True) as front:
        settings = Settings.from_env(
            tls_env(certs, front.port, TEMPORAL_API_KEY="key-for-test-only"), dotenv=False
        )
        config = settings.temporal_connect_config()
        assert config["api_key"] == "key-for-test-only"
        assert isinstance(config["tls"], TLSConfig)
        assert system_info(settings).server_version
        assert any("client" in subject for subject in front.client_subjects)
    assert "key-for-test-only" not in repr(settings)


def test_a_server_certificate_from_another_ca_is_refused(certs, temporal_server):
    with TLSFront(certs, temporal_server.port, require_client_cert=False) as front:
        env = tls_env(certs, front.port)
        env["TEMPORAL_TLS_SERVER_CA_CERT_PATH"] = str(certs.ca.parent / "other-ca.crt")
        with pytest.raises(RuntimeError, match="(?i)certificate|tls|connect"):
            system_info(Settings.from_env(env, dotenv=False))


def test_toml_profile_chosen_by_temporal_profile(tmp_path, certs, temporal_server):
    with TLSFront(certs, temporal_server.port, require_client_cert=True) as front:
        config_file = tmp_path / "temporal.toml"
        config_file.write_text(
            '[profile.default]\naddress = "localhost:1"\n\n'
            f'[profile.staging]\naddress = "localhost:{front.port}"\nnamespace = "default"\n'
            f"[profile.staging.tls]\n"
            f'server_ca_cert_path = "{certs.ca}"\n'
            f'client_cert_path = "{certs.client_cert}"\n'
            f'client_key_path = "{certs.client_key}"\n'
        )
        env = {"TEMPORAL_CONFIG_FILE": str(config_file), "TEMPORAL_PROFILE": "staging"}
        settings = Settings.from_env(env, dotenv=False)
        assert settings.temporal_host == f"localhost:{front.port}"
        assert system_info(settings).server_version


def test_temporal_host_is_an_alias_of_temporal_address():
    assert Settings.from_env({"TEMPORAL_HOST": "h:1"}, dotenv=False).temporal_host == "h:1"
    both = {"TEMPORAL_HOST": "old:1", "TEMPORAL_ADDRESS": "new:2", "TEMPORAL_NAMESPACE": "n"}
    settings = Settings.from_env(both, dotenv=False)
    assert (settings.temporal_host, settings.temporal_namespace) == ("new:2", "n")
    plain = Settings.from_env({}, dotenv=False).temporal_connect_config()
    assert plain["target_host"] == "localhost:7233" and "tls" not in plain


def test_an_unknown_profile_is_a_configuration_error(tmp_path):
    config_file = tmp_path / "temporal.toml"
    config_file.write_text('[profile.default]\naddress = "localhost:1"\n')
    env = {"TEMPORAL_CONFIG_FILE": str(config_file), "TEMPORAL_PROFILE": "nope"}
    with pytest.raises(ConfigurationError, match="nope"):
        Settings.from_env(env, dotenv=False)
