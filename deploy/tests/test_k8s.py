"""Kubernetes: every overlay renders with kustomize and validates offline (built-in kinds against
the bundled Kubernetes schemas, custom resources against crd_schemas), and says what operators need."""

import copy

import jsonschema
import kubernetes_validate
import pytest
import yaml
from crd_schemas import SCHEMAS
from deploy_support import kubernetes, model, tool

KUBERNETES_VERSION = "1.33.0"
OVERLAYS = ("dev", "production")


@pytest.fixture(scope="module", params=OVERLAYS)
def rendered(request) -> tuple[str, list[dict]]:
    result = tool("kustomize", "build", f"deploy/k8s/overlays/{request.param}")
    return request.param, [d for d in yaml.safe_load_all(result.stdout) if d]


def by_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def validate(doc: dict) -> None:
    key = (doc["apiVersion"], doc["kind"])
    if key in SCHEMAS:
        jsonschema.validate(doc, SCHEMAS[key])
    else:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_every_object_validates(rendered):
    overlay, docs = rendered
    assert len(docs) > 50
    for doc in docs:
        validate(doc)
    assert {d["metadata"].get("namespace") for d in docs if d["kind"] != "Namespace"} == {
        {"dev": "teilhabe-dev", "production": "teilhabe"}[overlay]
    }


def test_the_validators_reject_broken_objects(rendered):
    _, docs = rendered
    deployment = copy.deepcopy(next(d for d in docs if d["kind"] == "Deployment"))
    deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["prot"] = 1
    with pytest.raises(kubernetes_validate.ValidationError):
        validate(deployment)
    topic = copy.deepcopy(next(d for d in docs if d["kind"] == "KafkaTopic"))
    del topic["metadata"]["labels"]["strimzi.io/cluster"]
    with pytest.raises(jsonschema.ValidationError):
        validate(topic)
    unknown = {"apiVersion": "example.org/v1", "kind": "Gadget", "metadata": {"name": "x"}}
    with pytest.raises(kubernetes_validate.SchemaNotFoundError):
        validate(unknown)


def test_each_service_has_its_deployments_probes_resources_and_flags(rendered, services):
    _, docs = rendered
    deployments = by_kind(docs, "Deployment")
    for name, service in services.items():
        expected = {f"{name}-{c}" for c in kubernetes.components(service)}
        assert expected == {
            d for d in deployments if deployments[d]["metadata"]["labels"]["teilhabe.io/service"] == name
        }
        for deployment in expected:
            pod = deployments[deployment]["spec"]["template"]["spec"]
            (container,) = pod["containers"]
            assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
            assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
            assert {"cpu", "memory"} <= container["resources"]["requests"].keys() & container["resources"][
                "limits"
            ].keys()
            assert pod["securityContext"]["runAsNonRoot"] and container["securityContext"]["readOnlyRootFilesystem"]
            env = {e["name"]: e for e in container["env"]}
            component = deployment.removeprefix(f"{name}-")
            on = {f"run_{component}"}
            for flag in model.KIT_FLAGS:
                assert env[service.env(flag)]["value"] == str(flag in on).lower(), (deployment, flag)
            assert "postgresql+asyncpg://$(DB_USER):$(DB_PASSWORD)@" in env[service.database_env]["value"]
    for name in ("matching", "messaging"):
        if name in services:
            assert f"{name}-consumers" in deployments
    for name, deployment in deployments.items():  # rolled, never replaced: no service needs to be alone
        assert deployment["spec"]["strategy"]["type"] == "RollingUpdate", name


def test_secrets_are_referenced_never_included(rendered, services):
    _, docs = rendered
    assert not [d for d in docs if d["kind"] == "Secret"]
    for deployment in by_kind(docs, "Deployment").values():
        service = services[deployment["metadata"]["labels"]["teilhabe.io/service"]]
        env = {e["name"]: e for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
        for secret in service.secrets:
            ref = env[secret.env]["valueFrom"]["secretKeyRef"]
            assert ref == {"name": f"{service.name}-secrets", "key": secret.env}
        for e in env.values():
            assert "value" in e or e["valueFrom"]["secretKeyRef"]["name"] in {
                f"{service.name}-secrets",
                f"{service.name}-db-app",
            }
    for config in by_kind(docs, "ConfigMap").values():
        assert not any(model.SECRET_FIELD.search(k.lower()) for k in config["data"])


def test_scaling_and_disruption(rendered, services):
    overlay, docs = rendered
    hpas = by_kind(docs, "HorizontalPodAutoscaler")
    deployments = by_kind(docs, "Deployment")
    assert {h["spec"]["scaleTargetRef"]["name"] for h in hpas.values()} == {
        f"{n}-api" for n in kubernetes.AUTOSCALED if n in services
    }
    assert all(h["spec"]["scaleTargetRef"]["name"] in deployments for h in hpas.values())
    assert set(by_kind(docs, "PodDisruptionBudget")) == set(deployments)
    if overlay == "production":
        for name, d in deployments.items():  # API, consumers (a group) and relay (one publishes, one waits)
            assert d["spec"]["replicas"] >= 2, name
        assert all(h["spec"]["minReplicas"] == 2 for h in hpas.values())
        topics = [t for t in by_kind(docs, "KafkaTopic").values() if not t["spec"]["topicName"].endswith(".dlq")]
        assert topics and all(t["spec"]["partitions"] >= 6 for t in topics)


def test_only_the_gateway_is_reachable_from_outside_and_each_service_reaches_only_its_database(rendered, services):
    _, docs = rendered
    policies = by_kind(docs, "NetworkPolicy")
    assert policies["default-deny"]["spec"]["policyTypes"] == ["Ingress", "Egress"]
    open_doors = {n for n, p in policies.items() for rule in p["spec"].get("ingress", []) if "from" not in rule}
    assert open_doors == {"gateway"}
    assert [
        i["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"]
        for i in by_kind(docs, "Ingress").values()
    ] == ["gateway"]
    for name in services:
        policy = policies[name]["spec"]
        databases = [
            peer["podSelector"]["matchLabels"]["cnpg.io/cluster"]
            for rule in policy["egress"]
            for peer in rule["to"]
            if "cnpg.io/cluster" in peer.get("podSelector", {}).get("matchLabels", {})
        ]
        assert databases == [f"{name}-db"]
        db_ingress = policies[f"{name}-db"]["spec"]["ingress"][0]["from"][0]["podSelector"]["matchLabels"]
        assert db_ingress == {"teilhabe.io/service": name}
    identity_callers = policies["identity"]["spec"]["ingress"][1]["from"][0]["podSelector"]["matchExpressions"][0][
        "values"
    ]
    assert set(identity_callers) >= {
        n for n in services if n != "identity" and "identity" in services[n].callees(services)
    }


def test_metrics_are_served_on_their_own_port_which_only_the_monitoring_reaches(rendered, services):
    """Issue 21 (2): /metrics shared the API port, so whatever reached an API reached the figures."""
    _, docs = rendered
    policies = by_kind(docs, "NetworkPolicy")
    configs = by_kind(docs, "ConfigMap")
    monitor = by_kind(docs, "PodMonitor")["teilhabe"]
    assert [e["port"] for e in monitor["spec"]["podMetricsEndpoints"]] == ["metrics"]
    for name, service in services.items():
        if not service.has_metrics:
            continue
        assert configs[f"{name}-config"]["data"][service.env("metrics_port")] == str(model.METRICS_PORT)
        for deployment in by_kind(docs, "Deployment").values():
            if deployment["metadata"]["labels"]["teilhabe.io/service"] == name:
                ports = deployment["spec"]["template"]["spec"]["containers"][0]["ports"]
                assert {"name": "metrics", "containerPort": model.METRICS_PORT} in ports
        rules = policies[name]["spec"]["ingress"]
        to_metrics = [rule for rule in rules if {"protocol": "TCP", "port": model.METRICS_PORT} in rule["ports"]]
        assert len(to_metrics) == 1
        assert to_metrics[0]["from"] == [
            {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}
        ]


def test_migrations_databases_and_topics(rendered, services):
    overlay, docs = rendered
    jobs, clusters, topics = by_kind(docs, "Job"), by_kind(docs, "Cluster"), by_kind(docs, "KafkaTopic")
    for name in services:
        assert jobs[f"{name}-migrate"]["spec"]["template"]["spec"]["containers"][0]["command"] == [
            "python",
            "-m",
            "teilhabe_kit.migrations",
            name,
        ]
        assert clusters[f"{name}-db"]["spec"]["bootstrap"]["initdb"]["database"] == name
        assert clusters[f"{name}-db"]["spec"]["instances"] == (3 if overlay == "production" else 1)
    crons = by_kind(docs, "CronJob")
    assert set(crons) == {f"{n}-jobs" for n, s in services.items() if s.has_daily_jobs}
    for name, cron in crons.items():
        pod = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        assert pod["containers"][0]["command"] == ["python", "-m", name.replace("-jobs", ".jobs")]
    assert sorted(t["spec"]["topicName"] for t in topics.values()) == model.event_topics()
    for topic in topics.values():
        assert topic["spec"]["config"]["retention.ms"] == "-1"
        assert topic["spec"]["config"]["cleanup.policy"] == "delete"
        assert topic["spec"]["replicas"] == (3 if overlay == "production" else 1)
    assert by_kind(docs, "KafkaNodePool")["dual-role"]["spec"]["replicas"] == (3 if overlay == "production" else 1)
