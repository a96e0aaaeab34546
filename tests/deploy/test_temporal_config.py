"""temporal-config/: Temporal server config, dynamic config and logging profiles."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from .stack import (
    TEMPORAL_CONFIG,
    defaults,
    environment,
    published_ports,
    render_template,
    server_environment,
    services,
    template_refs,
)

CONFIG = TEMPORAL_CONFIG / "config.yaml"
DYNAMIC = TEMPORAL_CONFIG / "development-sql.yaml"
LOGGING = TEMPORAL_CONFIG / "log_config.yaml"
# Variables the server image's entrypoint exports itself (docker/scripts/sh/entrypoint.sh).
SET_BY_ENTRYPOINT = {"TEMPORAL_BROADCAST_ADDRESS"}
TEMPORAL_LOG_LEVELS = {"debug", "info", "warn", "error"}


def _config(env: dict[str, str] | None = None) -> dict:
    return yaml.safe_load(render_template(CONFIG.read_text(), server_environment(env)))


def _dynamic() -> dict:
    return yaml.safe_load(DYNAMIC.read_text())


def _value(key: str):
    entries = _dynamic()[key]
    assert len(entries) == 1
    return entries[0]["value"]


@pytest.mark.parametrize("name", ["config.yaml", "development-sql.yaml", "log_config.yaml"])
def test_yaml_files_parse(name):
    assert isinstance(yaml.safe_load((TEMPORAL_CONFIG / name).read_text()), dict)


def test_config_is_rendered_as_a_template():
    # The server only renders files whose first 1 KiB holds an "enable-template" comment.
    head = CONFIG.read_bytes()[:1024].decode(errors="ignore")
    assert any(
        line.strip().startswith("#") and "enable-template" in line for line in head.splitlines()
    )


def test_every_template_variable_is_provided_or_defaulted():
    provided = set(server_environment())
    for name, default in template_refs(CONFIG.read_text()):
        if default is None:
            assert name in provided | SET_BY_ENTRYPOINT, (
                f"config.yaml reads {name} without a default and compose does not set it"
            )


def test_rendered_config_is_yaml_even_with_awkward_passwords():
    password = 'it\'s "quoted": {x} # y'
    config = _config({"TEMPORAL_DB_PASSWORD": password})
    for store in config["persistence"]["datastores"].values():
        assert store["sql"]["password"] == password


def test_datastores_point_at_the_compose_database_service():
    config = _config()
    persistence = config["persistence"]
    stores = persistence["datastores"]
    assert persistence["defaultStore"] in stores
    assert persistence["visibilityStore"] in stores
    db_service = services()["temporal-db"]
    db_env = environment(db_service)
    container_ports = {c for _, _, c in published_ports(db_service)}
    for name in (persistence["defaultStore"], persistence["visibilityStore"]):
        sql = stores[name]["sql"]
        assert sql["pluginName"] == "postgres12"
        host, port = sql["connectAddr"].rsplit(":", 1)
        assert host == "temporal-db" and host in services()
        assert int(port) == 5432 and int(port) in container_ports
        assert sql["user"] == defaults(db_env["POSTGRES_USER"])
        assert sql["password"] == defaults(db_env["POSTGRES_PASSWORD"])


def test_config_without_compose_environment_still_targets_compose_names():
    # The template defaults alone (no variables set) must agree with the compose file.
    config = yaml.safe_load(render_template(CONFIG.read_text(), {}))
    for store in config["persistence"]["datastores"].values():
        assert store["sql"]["connectAddr"] == "temporal-db:5432"


def test_schema_job_creates_the_databases_the_server_uses():
    script = (TEMPORAL_CONFIG / "setup-schema.sh").read_text()
    for store in _config()["persistence"]["datastores"].values():
        database = store["sql"]["databaseName"]
        assert f"migrate {database} " in script, f"setup-schema.sh does not create {database}"


def test_sql_connection_pools_fit_in_temporal_db():
    stores = _config()["persistence"]["datastores"].values()
    per_role = sum(store["sql"]["maxConns"] for store in stores)
    roles = len(_config()["services"])  # all roles run in the one `temporal` container
    command = " ".join(services()["temporal-db"].get("command") or [])
    limit = (
        int(command.split("max_connections=")[1].split()[0])
        if "max_connections=" in command
        else 100
    )
    assert roles * per_role < limit


def test_frontend_port_matches_compose():
    frontend = _config()["services"]["frontend"]["rpc"]
    assert frontend["grpcPort"] == 7233
    assert (7233, 7233) in [(h, c) for _, h, c in published_ports(services()["temporal"])]
    probe = " ".join(services()["temporal"]["healthcheck"]["test"])
    assert f":{frontend['httpPort']}/" in probe or str(frontend["grpcPort"]) in probe, (
        "the server healthcheck must probe the frontend"
    )
    assert frontend["bindOnIP"] == "0.0.0.0", "must listen beyond the container's loopback"


def test_dynamic_config_path_matches_compose():
    expected = environment(services()["temporal"])["DYNAMIC_CONFIG_FILE_PATH"]
    assert _config()["dynamicConfigClient"]["filepath"] == expected
    assert (
        yaml.safe_load(render_template(CONFIG.read_text(), {}))["dynamicConfigClient"]["filepath"]
        == expected
    )


def test_num_history_shards_is_a_power_of_two():
    shards = _config()["persistence"]["numHistoryShards"]
    assert shards >= 4 and shards & (shards - 1) == 0


# --- dynamic config ----------------------------------------------------------------------


def test_dynamic_config_entries_are_well_formed():
    for key, entries in _dynamic().items():
        assert isinstance(entries, list) and entries, key
        for entry in entries:
            assert set(entry) <= {"value", "constraints"} and "value" in entry, key
            assert isinstance(entry.get("constraints", {}), dict), key


def test_ids_fit_the_sql_visibility_columns():
    assert 0 < _value("limit.maxIDLength") <= 255


def test_update_workflow_execution_enabled():
    assert _value("frontend.enableUpdateWorkflowExecution") is True


def test_payload_and_history_limits_are_ordered_and_within_temporal_hard_limits():
    assert _value("limit.blobSize.error") == 2 * 1024 * 1024
    assert _value("limit.blobSize.warn") < _value("limit.blobSize.error")
    for kind, hard_limit in (("historySize", 50 * 1024 * 1024), ("historyCount", 51200)):
        suggest = _value(f"limit.{kind}.suggestContinueAsNew")
        warn = _value(f"limit.{kind}.warn")
        error = _value(f"limit.{kind}.error")
        assert 0 < suggest < warn < error <= hard_limit, kind


# --- logging profiles --------------------------------------------------------------------


def _logging() -> dict:
    return yaml.safe_load(LOGGING.read_text())


def test_logging_profiles_cover_the_default_environment():
    profiles = _logging()
    assert profiles["default_environment"] in profiles["environments"]
    assert {"development", "production"} <= set(profiles["environments"])


@pytest.mark.parametrize("environment_name", ["development", "staging", "production"])
def test_server_log_settings_are_valid(environment_name):
    server = _logging()["environments"][environment_name]["temporal_server"]
    assert server["level"] in TEMPORAL_LOG_LEVELS
    assert server["format"] in {"json", "console"}


@pytest.mark.parametrize("environment_name", ["development", "staging", "production"])
def test_worker_logging_profile_is_accepted_by_dictconfig(environment_name):
    profile = _logging()["environments"][environment_name]["worker"]
    # In a child process: dictConfig replaces the handlers of the process it runs in.
    code = (
        "import json, logging, logging.config, sys\n"
        "logging.config.dictConfig(json.loads(sys.stdin.read()))\n"
        "logging.getLogger('temporal-etl.check').info('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(profile), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_compose_and_server_config_default_to_the_production_profile():
    production = _logging()["environments"]["production"]["temporal_server"]
    env = environment(services()["temporal"])
    assert defaults(env["LOG_LEVEL"]) == production["level"]
    assert defaults(env["LOG_FORMAT"]) == production["format"]
    unset = yaml.safe_load(render_template(CONFIG.read_text(), {}))["log"]
    assert unset["level"] == production["level"]
    assert unset["format"] == production["format"]
