"""Kubernetes manifests of a service (kustomize base), the Kafka topics and the base's kustomization."""

from __future__ import annotations

from generator.model import (
    DATA_ROOT,
    KAFKA_CLUSTER,
    KIT_FLAGS,
    METRICS_PORT,
    PUBLIC_SERVICE,
    TOPIC_PARTITIONS,
    UID,
    Service,
    event_topics,
    trusted_proxies,
)

KAFKA_K8S_BOOTSTRAP = f"{KAFKA_CLUSTER}-kafka-bootstrap:9092"


def _labels(service: Service, component: str) -> dict[str, str]:
    labels = {
        "app.kubernetes.io/name": service.name,
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/part-of": "teilhabe",
        "teilhabe.io/service": service.name,
    }
    if service.has_metrics and component in {"api", "consumers", "relay"}:
        labels["teilhabe.io/metrics"] = "true"
    return labels


def _db_env(service: Service) -> list[dict]:
    secret = f"{service.name}-db-app"  # written by CloudNativePG
    return [
        {"name": "DB_USER", "valueFrom": {"secretKeyRef": {"name": secret, "key": "username"}}},
        {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": secret, "key": "password"}}},
        {
            "name": service.database_env,
            "value": f"postgresql+asyncpg://$(DB_USER):$(DB_PASSWORD)@{service.name}-db-rw:5432/{service.name}",
        },
    ]


def _pod(service: Service, component: str, env: list[dict], command: list[str] | None = None) -> dict:
    container: dict = {
        "name": service.name,
        "image": f"teilhabe/{service.name}",
        "envFrom": [{"configMapRef": {"name": f"{service.name}-config"}}],
        "env": env,
        "resources": {
            "requests": {"cpu": "100m", "memory": "256Mi"},
            "limits": {"cpu": "1", "memory": "512Mi"},
        },
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"]},
        },
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
    }
    volumes: list[dict] = [{"name": "tmp", "emptyDir": {}}]
    if command:
        container["command"] = command
    else:
        container["ports"] = [{"name": "http", "containerPort": service.port}]
        if service.metrics_env:
            container["ports"].append({"name": "metrics", "containerPort": METRICS_PORT})
        container["startupProbe"] = {
            "httpGet": {"path": "/health/live", "port": "http"},
            "periodSeconds": 2,
            "failureThreshold": 60,
        }
        container["livenessProbe"] = {
            "httpGet": {"path": "/health/live", "port": "http"},
            "periodSeconds": 20,
            "timeoutSeconds": 3,
            "failureThreshold": 3,
        }
        container["readinessProbe"] = {
            "httpGet": {"path": "/health/ready", "port": "http"},
            "periodSeconds": 10,
            "timeoutSeconds": 3,
            "failureThreshold": 3,
        }
    if service.data_dirs and component == "api":
        container["volumeMounts"].append({"name": "data", "mountPath": DATA_ROOT})
        volumes.append({"name": "data", "persistentVolumeClaim": {"claimName": f"{service.name}-data"}})
    return {
        "metadata": {"labels": _labels(service, component)},
        "spec": {
            "automountServiceAccountToken": False,
            "securityContext": {
                "runAsNonRoot": True,
                "runAsUser": UID,
                "runAsGroup": UID,
                "fsGroup": UID,
                "seccompProfile": {"type": "RuntimeDefault"},
            },
            "containers": [container],
            "volumes": volumes,
        },
    }


def _flags(service: Service, component: str) -> list[dict]:
    """RUN_* flags: the API process also runs the service's own workers; the others run one part."""
    wanted = {
        "api": {"run_api", *(s.name for s in service.extra_flags)},
        "consumers": {"run_consumers"},
        "relay": {"run_relay"},
    }[component]
    flags = [*KIT_FLAGS, *(s.name for s in service.extra_flags)]
    return [{"name": service.env(f), "value": str(f in wanted).lower()} for f in flags]


def _secret_env(service: Service) -> list[dict]:
    return [
        {"name": s.env, "valueFrom": {"secretKeyRef": {"name": f"{service.name}-secrets", "key": s.env}}}
        for s in service.secrets
    ]


def _meta(name: str, service: Service, component: str) -> dict:
    return {"name": name, "labels": _labels(service, component)}


def _deployment(service: Service, component: str) -> dict:
    name = f"{service.name}-{component}"
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _meta(name, service, component),
        "spec": {
            "replicas": 1,
            "selector": {
                "matchLabels": {"teilhabe.io/service": service.name, "app.kubernetes.io/component": component}
            },
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}},
            "template": _pod(
                service, component, [*_db_env(service), *_secret_env(service), *_flags(service, component)]
            ),
        },
    }


def _pdb(service: Service, component: str) -> dict:
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": _meta(f"{service.name}-{component}", service, component),
        "spec": {
            "maxUnavailable": 1,
            "selector": {
                "matchLabels": {"teilhabe.io/service": service.name, "app.kubernetes.io/component": component}
            },
        },
    }


def components(service: Service) -> list[str]:
    """Deployments of a service: the API, and consumers and relay where it has them."""
    return ["api", *(["consumers"] if service.has_consumers else []), *(["relay"] if service.has_relay else [])]


def _config(service: Service, services: dict[str, Service]) -> dict:
    data = {
        "KAFKA_BOOTSTRAP_SERVERS": KAFKA_K8S_BOOTSTRAP,
        service.env("log_level"): "INFO",
        "OTEL_EXPORTER_OTLP_ENDPOINT": "",
    }
    for env_name, (target, path) in service.links(services).items():
        if target == PUBLIC_SERVICE:
            data[env_name] = f"https://teilhabe.example{path}"
        else:
            data[env_name] = f"http://{target}:{services[target].port}{path}"
    for s in service.data_dirs:
        data[s.env] = f"{DATA_ROOT}/{s.name.removesuffix('_dir').replace('_', '-')}"
    data.update(trusted_proxies(service))
    data.update(service.metrics_env)
    if service.name == PUBLIC_SERVICE and any(s.name == "trust_forwarded_for" for s in service.settings):
        data[service.env("trust_forwarded_for")] = "true"  # behind the Ingress controller
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": f"{service.name}-config",
            "labels": _labels(service, "config") | {"teilhabe.io/config": "service"},
        },
        "data": data,
    }


def _network_policy(service: Service, services: dict[str, Service]) -> dict:
    http = [{"protocol": "TCP", "port": service.port}]
    scraped = [{"protocol": "TCP", "port": METRICS_PORT if service.metrics_env else service.port}]
    callers = sorted(n for n, s in services.items() if service.name in s.callees(services))
    ingress = [  # the monitoring scrapes /metrics on its own port; nobody else reaches that port
        {
            "from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}],
            "ports": scraped,
        }
    ]
    if service.name == PUBLIC_SERVICE:
        ingress.append({"ports": http})  # the one public door: from anywhere (ingress controller)
    else:
        peers = [PUBLIC_SERVICE, *callers]
        ingress.append(
            {
                "from": [
                    {
                        "podSelector": {
                            "matchExpressions": [{"key": "teilhabe.io/service", "operator": "In", "values": peers}]
                        }
                    }
                ],
                "ports": http,
            }
        )
    egress = [
        {
            "to": [{"podSelector": {"matchLabels": {"cnpg.io/cluster": f"{service.name}-db"}}}],
            "ports": [{"protocol": "TCP", "port": 5432}],
        },
        {
            "to": [{"podSelector": {"matchLabels": {"strimzi.io/cluster": KAFKA_CLUSTER, "strimzi.io/kind": "Kafka"}}}],
            "ports": [{"protocol": "TCP", "port": 9092}],
        },
        {
            "to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}],
            "ports": [{"protocol": "TCP", "port": 4318}],
        },
    ]
    targets = sorted(n for n in services if n in service.callees(services))
    if service.name == PUBLIC_SERVICE:
        targets = [n for n in services if n != PUBLIC_SERVICE]
    for target in targets:
        egress.append(
            {
                "to": [
                    {
                        "podSelector": {
                            "matchLabels": {"teilhabe.io/service": target, "app.kubernetes.io/component": "api"}
                        }
                    }
                ],
                "ports": [{"protocol": "TCP", "port": services[target].port}],
            }
        )
    if any(s.name.startswith(("smtp_", "sms_", "video_")) for s in service.settings):
        egress.append(
            {  # mail relay, SMS and video providers outside the cluster
                "to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]}}],
                "ports": [{"protocol": "TCP", "port": p} for p in (25, 443, 465, 587)],
            }
        )
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": _meta(service.name, service, "network"),
        "spec": {
            "podSelector": {"matchLabels": {"teilhabe.io/service": service.name}},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": ingress,
            "egress": egress,
        },
    }


def _database(service: Service) -> list[dict]:
    cluster = f"{service.name}-db"
    return [
        {
            "apiVersion": "postgresql.cnpg.io/v1",
            "kind": "Cluster",
            "metadata": _meta(cluster, service, "database"),
            "spec": {
                "instances": 1,
                "imageName": "ghcr.io/cloudnative-pg/postgresql:17.7",
                "bootstrap": {"initdb": {"database": service.name, "owner": service.name}},
                "storage": {"size": "5Gi"},
                "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"memory": "1Gi"}},
            },
        },
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": _meta(cluster, service, "database"),
            "spec": {
                "podSelector": {"matchLabels": {"cnpg.io/cluster": cluster}},
                "policyTypes": ["Ingress"],
                "ingress": [
                    {
                        "from": [{"podSelector": {"matchLabels": {"teilhabe.io/service": service.name}}}],
                        "ports": [{"protocol": "TCP", "port": 5432}],
                    },
                    {
                        "from": [{"podSelector": {"matchLabels": {"cnpg.io/cluster": cluster}}}],
                        "ports": [{"protocol": "TCP", "port": 5432}, {"protocol": "TCP", "port": 8000}],
                    },
                    {
                        "from": [
                            {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "cnpg-system"}}}
                        ],
                        "ports": [{"protocol": "TCP", "port": 8000}, {"protocol": "TCP", "port": 5432}],
                    },
                ],
            },
        },
    ]


def _hpa(service: Service) -> dict:
    name = f"{service.name}-api"
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": _meta(name, service, "api"),
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
            "minReplicas": 1,
            "maxReplicas": 4,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}},
                }
            ],
        },
    }


AUTOSCALED = {PUBLIC_SERVICE, "matching"}


def k8s_service(service: Service, services: dict[str, Service]) -> list[dict]:
    docs: list[dict] = [_config(service, services)]
    for component in components(service):
        docs.append(_deployment(service, component))
        docs.append(_pdb(service, component))
    docs.append(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": _meta(service.name, service, "api"),
            "spec": {
                "selector": {"teilhabe.io/service": service.name, "app.kubernetes.io/component": "api"},
                "ports": [{"name": "http", "port": service.port, "targetPort": "http"}],
            },
        }
    )
    job_pod = _pod(service, "migrate", _db_env(service), ["python", "-m", "teilhabe_kit.migrations", service.name])
    job_pod["spec"]["restartPolicy"] = "Never"
    docs.append(
        {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": _meta(f"{service.name}-migrate", service, "migrate"),
            "spec": {"backoffLimit": 6, "template": job_pod},
        }
    )
    if service.has_daily_jobs:
        cron_pod = _pod(
            service, "jobs", [*_db_env(service), *_secret_env(service)], ["python", "-m", f"{service.name}.jobs"]
        )
        cron_pod["spec"]["restartPolicy"] = "OnFailure"
        docs.append(
            {
                "apiVersion": "batch/v1",
                "kind": "CronJob",
                "metadata": _meta(f"{service.name}-jobs", service, "jobs"),
                "spec": {
                    "schedule": "30 2 * * *",
                    "timeZone": "Europe/Berlin",
                    "concurrencyPolicy": "Forbid",
                    "jobTemplate": {"spec": {"backoffLimit": 3, "template": cron_pod}},
                },
            }
        )
    if service.name in AUTOSCALED:
        docs.append(_hpa(service))
    if service.data_dirs:
        docs.append(
            {
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": _meta(f"{service.name}-data", service, "data"),
                "spec": {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": "10Gi"}}},
            }
        )
    docs.append(_network_policy(service, services))
    docs.extend(_database(service))
    if service.name == PUBLIC_SERVICE:
        docs.append(
            {
                "apiVersion": "networking.k8s.io/v1",
                "kind": "Ingress",
                "metadata": _meta(service.name, service, "api"),
                "spec": {
                    "tls": [{"hosts": ["teilhabe.example"], "secretName": "teilhabe-tls"}],
                    "rules": [
                        {
                            "host": "teilhabe.example",
                            "http": {
                                "paths": [
                                    {
                                        "path": "/",
                                        "pathType": "Prefix",
                                        "backend": {"service": {"name": service.name, "port": {"name": "http"}}},
                                    }
                                ]
                            },
                        }
                    ],
                },
            }
        )
    return docs


def kafka_topics() -> list[dict]:
    return [
        {
            "apiVersion": "kafka.strimzi.io/v1beta2",
            "kind": "KafkaTopic",
            "metadata": {
                "name": topic.replace("_", "-"),
                "labels": {"strimzi.io/cluster": KAFKA_CLUSTER, "app.kubernetes.io/part-of": "teilhabe"},
            },
            "spec": {
                "topicName": topic,
                "partitions": TOPIC_PARTITIONS,
                "replicas": 1,
                "config": {"retention.ms": "-1", "cleanup.policy": "delete", "min.insync.replicas": "1"},
            },
        }
        for topic in event_topics()
    ]


def kustomization(services: dict[str, Service]) -> dict:
    return {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": [
            "platform/kafka.yaml",
            "platform/network.yaml",
            "platform/monitoring.yaml",
            "kafka-topics.yaml",
            *(f"services/{name}.yaml" for name in services),
        ],
    }
