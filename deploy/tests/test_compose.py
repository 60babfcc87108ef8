"""docker-compose.yml: accepted by the real Compose CLI (Compose specification schema), complete,
health-gated, and consistent with each service's settings."""

import json
import os

import pytest
from deploy_support import ROOT, model, tool


@pytest.fixture(scope="module")
def dotenv(services) -> dict[str, str]:
    """What an operator puts into .env: the database password and every service secret."""
    names = {"POSTGRES_PASSWORD"} | {s.env for service in services.values() for s in service.secrets}
    return {name: f"test-{name.lower()}" for name in names}


def compose(*args: str, env: dict[str, str], check: bool = True):
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")} | env
    return tool(
        "docker-compose", "--project-directory", str(ROOT), "-f", "docker-compose.yml", *args, env=clean, check=check
    )


@pytest.fixture(scope="module")
def resolved(dotenv) -> dict:
    """The file as Compose resolves it (validated against the Compose specification on the way)."""
    return json.loads(compose("config", "--format", "json", env=dotenv).stdout)


def test_the_compose_cli_accepts_the_file(dotenv):
    result = compose("config", "--quiet", env=dotenv, check=False)
    assert result.returncode == 0, result.stderr


def test_the_compose_cli_rejects_what_breaks_the_specification(tmp_path, dotenv):
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(
        (ROOT / "docker-compose.yml").read_text().replace("    restart: unless-stopped", "    restarts: always", 1)
    )
    result = tool(
        "docker-compose", "-f", str(broken), "config", "--quiet", env={"PATH": os.environ["PATH"]} | dotenv, check=False
    )
    assert result.returncode != 0 and "restarts" in result.stderr


def test_secrets_have_no_defaults(services, dotenv):
    for missing in sorted(dotenv):
        result = compose("config", "--quiet", env={k: v for k, v in dotenv.items() if k != missing}, check=False)
        assert result.returncode != 0 and missing in result.stderr, missing


def test_kafka_and_postgres_are_the_official_images_and_health_checked(resolved):
    services = resolved["services"]
    assert services["kafka"]["image"] == "apache/kafka:4.3.1"
    assert services["postgres"]["image"].startswith("postgres:17")
    for name in ("kafka", "postgres"):
        assert services[name]["healthcheck"]["test"]
    topics = services["kafka-topics"]["environment"]["TEILHABE_TOPICS"].split()
    assert topics == model.event_topics() and all(f"{t}.dlq" in topics for t in topics if not t.endswith(".dlq"))
    assert services["kafka-topics"]["depends_on"]["kafka"]["condition"] == "service_healthy"


def test_every_service_starts_after_its_database_its_migration_kafka_and_identity(services, resolved):
    composed = resolved["services"]
    databases = composed["postgres-databases"]["environment"]["TEILHABE_DATABASES"].split()
    assert databases == list(services)
    for name, service in services.items():
        migrate = composed[f"{name}-migrate"]
        assert migrate["command"] == ["python", "-m", "teilhabe_kit.migrations", name]
        assert migrate["depends_on"]["postgres-databases"]["condition"] == "service_completed_successfully"
        depends = {k: v["condition"] for k, v in composed[name]["depends_on"].items()}
        assert depends[f"{name}-migrate"] == "service_completed_successfully"
        assert depends["kafka-topics"] == "service_completed_successfully"
        assert depends["postgres"] == "service_healthy"
        if name != "identity":
            assert depends["identity"] == "service_healthy"
        assert "/health/ready" in " ".join(composed[name]["healthcheck"]["test"])
        assert composed[name]["image"] == migrate["image"] == f"teilhabe/{name}:latest"
        if service.has_daily_jobs:
            assert f"python -m {name}.jobs" in composed[f"{name}-jobs"]["command"][-1]
    gateway = {k: v["condition"] for k, v in composed["gateway"]["depends_on"].items()}
    assert all(gateway[n] == "service_healthy" for n in services if n != "gateway")


def test_start_order_has_no_cycle(resolved):
    """Compose refuses a depends_on cycle (identity calls contracts, contracts fetches identity's JWKS)."""
    graph = {name: set(s.get("depends_on", {})) for name, s in resolved["services"].items()}
    done: set[str] = set()
    while len(done) < len(graph):
        ready = {n for n, needs in graph.items() if n not in done and needs <= done}
        assert ready, f"cycle among {sorted(set(graph) - done)}"
        done |= ready


def test_only_the_gateway_is_published(services, resolved):
    published = {name for name, s in resolved["services"].items() if s.get("ports")}
    assert published == {"gateway"}
    (port,) = resolved["services"]["gateway"]["ports"]
    assert port["target"] == services["gateway"].port


def test_environment_matches_each_services_settings(services, resolved, monkeypatch):
    hosts = {name: f"http://{name}:{service.port}" for name, service in services.items()}
    ports = {service.port for service in services.values()}
    for name, service in services.items():
        env = resolved["services"][name]["environment"]
        known = {s.env for s in service.settings} | {service.database_env, "OTEL_EXPORTER_OTLP_ENDPOINT"}
        assert set(env) <= known, f"{name}: unknown variables {set(env) - known}"
        for key in list(os.environ):
            if key.startswith(("DATABASE_URL", "KAFKA_", "IDENTITY_", name.upper())):
                monkeypatch.delenv(key)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        settings = __import__(f"{name}.settings", fromlist=["Settings"]).Settings()
        assert settings.kafka_bootstrap_servers == "kafka:9092"
        assert (
            settings.resolved_database_url() == f"postgresql+asyncpg://app:test-postgres_password@postgres:5432/{name}"
        )
        assert settings.jwks_url.startswith(f"{hosts['identity']}/")
        for s in service.settings:
            value = getattr(settings, s.name)
            local = model.LOCAL_URL.match(value) if isinstance(value, str) else None
            if local and int(local.group(1)) in ports:  # a service Compose runs, still asked on loopback
                assert value.startswith("http://localhost:8000"), f"{name}.{s.name} = {value}"
            if isinstance(value, str) and value.startswith("http://") and not local:
                assert any(value.startswith(h) for h in hosts.values()), f"{name}.{s.name} = {value}"
            if s in service.secrets:
                assert value == f"test-{s.env.lower()}", f"{name}.{s.name} comes from .env"
        monkeypatch.undo()
