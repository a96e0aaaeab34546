"""docker-compose.yml, Dockerfile and .dockerignore, checked without a Docker engine."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from .stack import (
    COMPOSE_FILE,
    REPO,
    bind_mounts,
    compose,
    defaults,
    environment,
    interpolate,
    interpolated_names,
    long_running_services,
    named_volumes,
    one_shot_services,
    published_ports,
    services,
)

REQUIRED_SERVICES = {"temporal-db", "workflows-db", "temporal", "temporal-ui", "worker"}

# The settings the project reads (README "Environment Variables" plus the lead's
# additions); the worker container may only be configured through these.
SETTINGS_NAMES = {
    "TEMPORAL_HOST",
    "TEMPORAL_NAMESPACE",
    "DB_HOST",
    "DB_PORT",
    "DB_NAME",
    "DB_USER",
    "DB_PASSWORD",
    "DB_MIN_CONN",
    "DB_MAX_CONN",
    "EVENTS_TABLE",
    "DB_SCHEMA",
    "PSEUDONYM_KEY",
    "STORE_COMMENT_BODIES",
    "ROSTER_REFRESH_SECONDS",
    "LP_APP_ID",
    "LP_WEB_ROOT",
    "LP_API_VERSION",
    "LP_MAX_CONCURRENCY",
    "LP_CREDENTIALS_FILE",
    "METRICS_PORT",
}
WORKER_REQUIRED = {
    "TEMPORAL_HOST",
    "TEMPORAL_NAMESPACE",
    "DB_HOST",
    "DB_PORT",
    "DB_NAME",
    "DB_USER",
    "DB_PASSWORD",
}
SECRET_KEY = re.compile(r"(PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_KEY|PRIVATE_KEY)$")
# A secret may only come from a variable, with at most a development default.
SECRET_VALUE = re.compile(r"^\$\{[A-Z_][A-Z0-9_]*(:-[^}$]*)?\}$")


def test_compose_file_is_a_mapping_of_services():
    assert COMPOSE_FILE.is_file()
    assert isinstance(compose(), dict)
    assert isinstance(services(), dict) and services()


def test_required_services_present():
    missing = REQUIRED_SERVICES - set(services())
    assert not missing, f"missing services: {sorted(missing)}"


@pytest.mark.parametrize(
    ("service", "host_port", "container_port"),
    [
        ("temporal-db", 5432, 5432),
        ("workflows-db", 7000, 5432),
        ("temporal", 7233, 7233),
        ("temporal-ui", 8080, 8080),
    ],
)
def test_published_host_ports(service, host_port, container_port):
    ports = [(h, c) for _, h, c in published_ports(services()[service])]
    assert (host_port, container_port) in ports, f"{service} publishes {ports}"


def test_published_ports_are_loopback_only():
    # No authentication in front of Temporal, the UI or the databases: never 0.0.0.0.
    for name, svc in services().items():
        for ip, host, _ in published_ports(svc):
            assert ip == "127.0.0.1", f"{name} publishes {host} on {ip or 'all interfaces'}"


def test_no_two_services_publish_the_same_host_port():
    seen: dict[int, str] = {}
    for name, svc in services().items():
        for _, host, _ in published_ports(svc):
            assert host not in seen, f"{name} and {seen.get(host)} both publish {host}"
            seen[host] = name


def test_dependencies_exist_and_use_conditions_they_can_meet():
    all_services = services()
    for name, svc in all_services.items():
        deps = svc.get("depends_on") or {}
        assert isinstance(deps, dict), f"{name}: depends_on must use the long form with conditions"
        for dep, spec in deps.items():
            assert dep in all_services, f"{name} depends on unknown service {dep!r}"
            assert dep != name
            condition = (spec or {}).get("condition")
            if condition == "service_healthy":
                check = all_services[dep].get("healthcheck") or {}
                assert check.get("test") and not check.get("disable"), (
                    f"{name} waits for {dep} to be healthy, but {dep} has no healthcheck"
                )
            elif condition == "service_completed_successfully":
                assert all_services[dep].get("restart", "no") == "no", (
                    f"{name} waits for {dep} to complete, but {dep} restarts"
                )
            else:
                pytest.fail(f"{name} -> {dep}: condition {condition!r} does not wait for readiness")


def test_dependency_graph_has_no_cycles():
    graph = {n: set(s.get("depends_on") or {}) for n, s in services().items()}
    done: set[str] = set()

    def visit(node: str, path: tuple[str, ...]) -> None:
        assert node not in path, f"dependency cycle: {' -> '.join((*path, node))}"
        if node in done:
            return
        for dep in graph.get(node, ()):
            visit(dep, (*path, node))
        done.add(node)

    for node in graph:
        visit(node, ())


def test_long_running_services_have_healthchecks_and_restart():
    for name in long_running_services():
        svc = services()[name]
        check = svc.get("healthcheck") or {}
        assert check.get("test"), f"{name} has no healthcheck"
        assert not check.get("disable"), f"{name} disables its healthcheck"
        assert svc.get("restart") in {"always", "unless-stopped"}, (
            f"{name} should restart: {svc.get('restart')!r}"
        )


def test_schema_and_namespace_jobs_run_once_before_their_users():
    jobs = one_shot_services()
    assert "temporal" in {
        n for n, s in services().items() if set(s.get("depends_on") or {}) & jobs
    }, "the Temporal server must wait for the schema job"
    worker_deps = services()["worker"]["depends_on"]
    assert any(worker_deps[d]["condition"] == "service_completed_successfully" for d in worker_deps)


def test_postgres_healthchecks_use_pg_isready():
    for name in ("temporal-db", "workflows-db"):
        assert "pg_isready" in str(services()[name]["healthcheck"]["test"])


def test_worker_is_scalable():
    worker = services()["worker"]
    assert "container_name" not in worker, "a fixed container name prevents --scale"
    assert not worker.get("ports"), "published ports collide when the worker is scaled"
    assert "build" in worker


def test_build_context_and_dockerfile_exist():
    build = services()["worker"]["build"]
    context = REPO / (build if isinstance(build, str) else build.get("context", "."))
    assert context.is_dir()
    dockerfile = context / (
        build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile"
    )
    assert dockerfile.is_file(), f"{dockerfile} missing"
    assert (context / "requirements.txt").is_file()


def test_bind_mounted_files_exist_and_are_read_only():
    mounts = [(n, *m) for n, s in services().items() for m in bind_mounts(s)]
    assert mounts, "expected the temporal-config files to be bind-mounted"
    for name, source, target, read_only in mounts:
        path = REPO / source if source.startswith(".") else None
        assert path is not None, f"{name}: use repository-relative mount sources, not {source}"
        assert path.exists(), f"{name} mounts {source}, which does not exist"
        assert read_only, f"{name} mounts {source} writable at {target}"


def test_temporal_server_reads_the_mounted_config_files():
    temporal = services()["temporal"]
    env = environment(temporal)
    targets = {target: source for source, target, _ in bind_mounts(temporal)}
    for variable, expected in [
        ("TEMPORAL_SERVER_CONFIG_FILE_PATH", "temporal-config/config.yaml"),
        ("DYNAMIC_CONFIG_FILE_PATH", "temporal-config/development-sql.yaml"),
    ]:
        path = env.get(variable)
        assert path in targets, f"{variable}={path} is not a mounted file"
        assert (REPO / targets[path]).resolve() == (REPO / expected).resolve()


def test_job_scripts_are_mounted_run_and_valid_sh():
    for name in one_shot_services():
        svc = services()[name]
        mounted = {target: source for source, target, _ in bind_mounts(svc)}
        command = svc.get("command") or []
        command = command if isinstance(command, list) else command.split()
        scripts = [arg for arg in command if arg in mounted]
        assert scripts, f"{name} does not run a mounted script: {command}"
        sh = shutil.which("sh")
        if sh is None:
            pytest.skip("no sh to syntax-check with")
        for script in scripts:
            result = subprocess.run([sh, "-n", str(REPO / mounted[script])], capture_output=True)
            assert result.returncode == 0, result.stderr.decode()


def test_named_volumes_are_declared_and_used_for_data():
    declared = set(compose().get("volumes") or {})
    for name, svc in services().items():
        for volume in named_volumes(svc):
            assert volume in declared, f"{name} uses undeclared volume {volume}"
    for db in ("temporal-db", "workflows-db"):
        assert named_volumes(services()[db]), f"{db} would lose its data with the container"


def test_worker_environment_names_are_project_settings():
    env = environment(services()["worker"])
    unknown = set(env) - SETTINGS_NAMES
    assert not unknown, f"worker sets variables the project does not read: {sorted(unknown)}"
    missing = WORKER_REQUIRED - set(env)
    assert not missing, f"worker lacks {sorted(missing)}"


def test_worker_environment_names_appear_in_settings_module():
    settings = REPO / "models" / "settings.py"
    if not settings.is_file():
        pytest.skip("models/settings.py not written yet")
    source = settings.read_text()
    for name in environment(services()["worker"]):
        assert f'"{name}"' in source, f"models/settings.py does not read {name}"


def test_worker_addresses_resolve_inside_the_compose_network():
    env = environment(services()["worker"])
    host, port = env["TEMPORAL_HOST"].rsplit(":", 1)
    assert host in services(), f"TEMPORAL_HOST names no service: {host}"
    assert "$" not in env["TEMPORAL_HOST"], "must not follow ./.env (host-side address)"
    assert int(port) == 7233
    assert env["DB_HOST"] == "workflows-db"
    # The container port, not the host port 7000 that ./.env holds for local runs.
    assert env["DB_PORT"] == "5432"
    assert 5432 in {c for _, _, c in published_ports(services()["workflows-db"])}


def test_worker_database_credentials_match_workflows_db():
    worker = environment(services()["worker"])
    db = environment(services()["workflows-db"])
    assert worker["DB_NAME"] == db["POSTGRES_DB"]
    assert worker["DB_USER"] == db["POSTGRES_USER"]
    assert worker["DB_PASSWORD"] == db["POSTGRES_PASSWORD"]


def test_workflows_db_development_defaults():
    db = environment(services()["workflows-db"])
    assert db["POSTGRES_PASSWORD"] == "${DB_PASSWORD:-workflows-db}"
    assert defaults(db["POSTGRES_DB"]) == "workflows-db"
    assert defaults(db["POSTGRES_USER"]) == "workflows-db"
    assert interpolate(db["POSTGRES_PASSWORD"], {"DB_PASSWORD": "s3cret"}) == "s3cret"


def test_temporal_db_password_is_shared_by_its_clients():
    expected = environment(services()["temporal-db"])["POSTGRES_PASSWORD"]
    assert environment(services()["temporal"])["TEMPORAL_DB_PASSWORD"] == expected
    assert environment(services()["temporal-schema"])["SQL_PASSWORD"] == expected


def test_no_hard_coded_secrets():
    for name, svc in services().items():
        for key, value in environment(svc).items():
            if not SECRET_KEY.search(key) or value is None:
                continue
            assert SECRET_VALUE.match(value), (
                f"{name}.{key} must come from a variable (${{VAR:-dev-default}}), got {value!r}"
            )
    # No literal credentials in URLs either.
    assert not re.search(r"://[^/\s:@]+:[^/\s@$]+@", COMPOSE_FILE.read_text())


def test_launchpad_credentials_are_an_optional_read_only_secret():
    secrets = compose().get("secrets") or {}
    worker = services()["worker"]
    mounts = {
        (s["source"] if isinstance(s, dict) else s): (
            s.get("target", s["source"]) if isinstance(s, dict) else s
        )
        for s in worker.get("secrets") or []
    }
    assert mounts, "worker has no secrets"
    for source, target in mounts.items():
        assert source in secrets, f"worker uses undeclared secret {source}"
        file = secrets[source]["file"]
        assert interpolated_names(file) == {"LP_CREDENTIALS_FILE"}
        # Without the variable, the stack must still start: the default must exist.
        assert defaults(file) == "/dev/null"
        env = environment(worker)["LP_CREDENTIALS_FILE"]
        mounted_at = f"/run/secrets/{target}"
        assert interpolate(env, {"LP_CREDENTIALS_FILE": "./lp.creds"}) == mounted_at
        assert defaults(env) == "", "without credentials the worker must log in anonymously"


def test_ui_points_at_the_temporal_frontend():
    env = environment(services()["temporal-ui"])
    host, port = env["TEMPORAL_ADDRESS"].rsplit(":", 1)
    assert host == "temporal" and int(port) == 7233


def test_images_are_pinned_and_temporal_tools_match_the_server():
    tags: dict[str, set[str]] = {}
    for name, svc in services().items():
        image = svc.get("image")
        if image is None:
            assert "build" in svc, f"{name} has neither image nor build"
            continue
        if "build" in svc:
            continue  # the name given to a locally built image
        repo, _, tag = image.rpartition(":")
        assert repo and tag and tag != "latest", f"{name}: pin {image}"
        assert "auto-setup" not in repo, "temporalio/auto-setup is deprecated"
        tags.setdefault(repo, set()).add(tag)
    server = tags.get("temporalio/server")
    assert server and len(server) == 1
    assert tags.get("temporalio/admin-tools") == server, "admin-tools must match the server tag"


# --- Dockerfile and .dockerignore -------------------------------------------------------


def _dockerfile_instructions() -> list[tuple[str, str]]:
    text = (REPO / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in lines
        if line and not line.startswith("#")
    ]


def test_dockerfile_builds_the_worker_image():
    instructions = _dockerfile_instructions()
    froms = [arg for op, arg in instructions if op == "FROM"]
    assert froms == ["python:3.11-slim"]
    runs = " ".join(arg for op, arg in instructions if op == "RUN")
    assert re.search(r"pip install .*-r requirements\.txt", runs)
    copies = [arg for op, arg in instructions if op == "COPY"]
    assert any(arg.split()[0] == "requirements.txt" for arg in copies)
    cmd = [arg for op, arg in instructions if op == "CMD"]
    assert cmd and cmd[-1] == '["python", "worker.py", "--both"]'
    users = [arg for op, arg in instructions if op == "USER"]
    assert users and users[-1] not in {"root", "0"}, "the worker must not run as root"


def test_worker_entry_point_exists():
    if not (REPO / "worker.py").exists():
        pytest.skip("worker.py not written yet")
    assert (REPO / "worker.py").is_file()


def test_dockerignore_keeps_secrets_and_local_state_out():
    patterns = {
        line.strip().rstrip("/")
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for required in (".env", ".venv", ".data", ".git", "**/__pycache__"):
        assert required in patterns, f".dockerignore lacks {required}"
    for needed in ("requirements.txt", "worker.py", "models", "sources", "temporal-config"):
        assert needed not in patterns, f".dockerignore must not exclude {needed}"
