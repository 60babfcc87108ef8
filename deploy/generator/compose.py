"""docker-compose.yml: Kafka, PostgreSQL, one-shot jobs and every service, health-gated."""

from __future__ import annotations

from generator.model import (
    DATA_ROOT,
    KAFKA_IMAGE,
    POSTGRES_IMAGE,
    PUBLIC_SERVICE,
    PUBLIC_URL_VARIABLE,
    TOPIC_PARTITIONS,
    Service,
    event_topics,
    trusted_proxies,
)


def _probe(url: str) -> list[str]:
    return ["CMD", "python", "-c", f"import urllib.request; urllib.request.urlopen('{url}', timeout=2)"]


def _compose_env(service: Service, services: dict[str, Service]) -> dict[str, str]:
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": "kafka:9092",
        service.database_env: f"postgresql+asyncpg://app:${{POSTGRES_PASSWORD}}@postgres:5432/{service.name}",
        "OTEL_EXPORTER_OTLP_ENDPOINT": "${OTEL_EXPORTER_OTLP_ENDPOINT:-}",
    }
    for env_name, (target, path) in service.links(services).items():
        if target == PUBLIC_SERVICE:
            env[env_name] = f"${{{PUBLIC_URL_VARIABLE}:-http://localhost:{services[target].port}}}{path}"
        else:
            env[env_name] = f"http://{target}:{services[target].port}{path}"
    for s in service.data_dirs:
        env[s.env] = f"{DATA_ROOT}/{s.name.removesuffix('_dir').replace('_', '-')}"
    for s in service.secrets:
        env[s.env] = f"${{{s.env}:?set {s.env} in .env (see deploy/README.md)}}"
    env.update(trusted_proxies(service))
    env.update(service.metrics_env)
    return env


def compose(services: dict[str, Service]) -> dict:
    databases = " ".join(services)
    topics = " ".join(event_topics())
    doc: dict = {
        "name": "teilhabe",
        "services": {
            "postgres": {
                "image": POSTGRES_IMAGE,
                "environment": {
                    "POSTGRES_USER": "app",
                    "POSTGRES_PASSWORD": "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env (see deploy/README.md)}",
                },
                "volumes": ["postgres-data:/var/lib/postgresql/data"],
                "healthcheck": {
                    "test": ["CMD-SHELL", "pg_isready -U app -d postgres"],
                    "interval": "5s",
                    "timeout": "3s",
                    "retries": 20,
                },
                "restart": "unless-stopped",
            },
            "postgres-databases": {
                "image": POSTGRES_IMAGE,
                "command": ["/bin/bash", "/teilhabe/postgres-databases.sh"],
                "environment": {
                    "PGHOST": "postgres",
                    "PGUSER": "app",
                    "PGPASSWORD": "${POSTGRES_PASSWORD}",
                    "TEILHABE_DATABASES": databases,
                },
                "volumes": ["./deploy/compose/postgres-databases.sh:/teilhabe/postgres-databases.sh:ro"],
                "depends_on": {"postgres": {"condition": "service_healthy"}},
                "restart": "no",
            },
            "kafka": {
                "image": KAFKA_IMAGE,
                "environment": {
                    "KAFKA_NODE_ID": "1",
                    "KAFKA_PROCESS_ROLES": "broker,controller",
                    "KAFKA_LISTENERS": "PLAINTEXT://:9092,CONTROLLER://:9093",
                    "KAFKA_ADVERTISED_LISTENERS": "PLAINTEXT://kafka:9092",
                    "KAFKA_CONTROLLER_LISTENER_NAMES": "CONTROLLER",
                    "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                    "KAFKA_CONTROLLER_QUORUM_VOTERS": "1@kafka:9093",
                    "KAFKA_LOG_DIRS": "/var/lib/kafka/data",
                    "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR": "1",
                    "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR": "1",
                    "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR": "1",
                    "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR": "1",
                    "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR": "1",
                    "KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS": "0",
                    "KAFKA_NUM_PARTITIONS": str(TOPIC_PARTITIONS),
                },
                "volumes": ["kafka-data:/var/lib/kafka/data"],
                "healthcheck": {
                    "test": [
                        "CMD-SHELL",
                        "/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:9092 >/dev/null",
                    ],
                    "interval": "10s",
                    "timeout": "10s",
                    "retries": 20,
                    "start_period": "20s",
                },
                "restart": "unless-stopped",
            },
            "kafka-topics": {
                "image": KAFKA_IMAGE,
                "command": ["/bin/bash", "/teilhabe/kafka-topics.sh"],
                "environment": {
                    "KAFKA_BOOTSTRAP_SERVERS": "kafka:9092",
                    "TEILHABE_TOPICS": topics,
                    "TEILHABE_PARTITIONS": str(TOPIC_PARTITIONS),
                },
                "volumes": ["./deploy/compose/kafka-topics.sh:/teilhabe/kafka-topics.sh:ro"],
                "depends_on": {"kafka": {"condition": "service_healthy"}},
                "restart": "no",
            },
        },
        "volumes": {"postgres-data": {}, "kafka-data": {}},
    }
    for service in services.values():
        image = f"teilhabe/{service.name}:${{TEILHABE_VERSION:-latest}}"
        build = {"context": ".", "dockerfile": f"deploy/docker/{service.name}.Dockerfile"}
        env = _compose_env(service, services)
        doc["services"][f"{service.name}-migrate"] = {
            "image": image,
            "build": build,
            "command": ["python", "-m", "teilhabe_kit.migrations", service.name],
            "environment": {service.database_env: env[service.database_env]},
            "depends_on": {"postgres-databases": {"condition": "service_completed_successfully"}},
            "restart": "no",
        }
        depends = {
            "postgres": {"condition": "service_healthy"},
            "kafka-topics": {"condition": "service_completed_successfully"},
            f"{service.name}-migrate": {"condition": "service_completed_successfully"},
        }
        order = list(services)
        for callee in service.callees(services):
            # wait only for services started before (identity first): a later one is called by a
            # retrying consumer (identity → contracts), and waiting for it would close a cycle
            if order.index(callee) < order.index(service.name):
                depends[callee] = {"condition": "service_healthy"}
        if service.name == PUBLIC_SERVICE:
            depends |= {n: {"condition": "service_healthy"} for n in services if n != service.name}
        entry = {
            "image": image,
            "build": build,  # the same image as the migration's (built once, then from cache)
            "environment": env,
            "depends_on": depends,
            "healthcheck": {
                "test": _probe(f"http://127.0.0.1:{service.port}/health/ready"),
                "interval": "10s",
                "timeout": "3s",
                "retries": 10,
                "start_period": "30s",
            },
            "restart": "unless-stopped",
        }
        if service.name == PUBLIC_SERVICE:
            entry["ports"] = [f"${{TEILHABE_HTTP_PORT:-{service.port}}}:{service.port}"]
        else:
            entry["expose"] = [str(service.port)]
        if service.metrics_env:  # for a scraper on the Compose network; never published on the host
            entry.setdefault("expose", []).extend(str(port) for port in service.metrics_env.values())
        if service.data_dirs:
            entry["volumes"] = [f"{service.name}-data:{DATA_ROOT}"]
            doc["volumes"][f"{service.name}-data"] = {}
        doc["services"][service.name] = entry
        if service.has_daily_jobs:  # Compose has no scheduler: a loop, once a day
            doc["services"][f"{service.name}-jobs"] = {
                "image": image,
                "command": ["sh", "-c", f"while :; do python -m {service.name}.jobs; sleep 86400; done"],
                "environment": env,
                "depends_on": {service.name: {"condition": "service_healthy"}},
                "restart": "unless-stopped",
            }
    return doc
