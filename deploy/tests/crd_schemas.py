"""Structural schemas of the custom resources kubernetes-validate does not know (Strimzi,
CloudNativePG, Prometheus operator): the fields we rely on, their types, nothing unknown at the
levels we write. A subset of the operators' CRDs, checked offline."""

from __future__ import annotations


def _object(required: list[str], properties: dict, *, closed: bool = True) -> dict:
    schema = {"type": "object", "required": required, "properties": properties}
    if closed:
        schema["additionalProperties"] = False
    return schema


_STRING = {"type": "string"}
_INT = {"type": "integer", "minimum": 1}
_LABELS = {"type": "object", "additionalProperties": {"type": "string"}}
_META = _object(
    ["name"],
    {
        "name": {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$"},
        "namespace": _STRING,
        "labels": _LABELS,
        "annotations": _LABELS,
    },
)
_RESOURCES = {"type": "object", "properties": {"requests": _LABELS, "limits": _LABELS}, "additionalProperties": False}


def _resource(api: str, kind: str, spec: dict, *, cluster_label: bool = False) -> dict:
    meta = _META
    if cluster_label:
        meta = _META | {
            "required": ["name", "labels"],
            "properties": _META["properties"] | {"labels": _LABELS | {"required": ["strimzi.io/cluster"]}},
        }
    return _object(
        ["apiVersion", "kind", "metadata", "spec"],
        {
            "apiVersion": {"const": api},
            "kind": {"const": kind},
            "metadata": meta,
            "spec": spec,
        },
    )


SCHEMAS: dict[tuple[str, str], dict] = {
    ("kafka.strimzi.io/v1beta2", "KafkaTopic"): _resource(
        "kafka.strimzi.io/v1beta2",
        "KafkaTopic",
        _object(
            ["topicName", "partitions", "replicas", "config"],
            {
                "topicName": {"type": "string", "pattern": r"^[a-zA-Z0-9._-]+$"},
                "partitions": _INT,
                "replicas": _INT,
                "config": {"type": "object", "additionalProperties": {"type": ["string", "integer"]}},
            },
        ),
        cluster_label=True,
    ),
    ("kafka.strimzi.io/v1beta2", "KafkaNodePool"): _resource(
        "kafka.strimzi.io/v1beta2",
        "KafkaNodePool",
        _object(
            ["replicas", "roles", "storage"],
            {
                "replicas": _INT,
                "roles": {"type": "array", "items": {"enum": ["controller", "broker"]}, "minItems": 1},
                "storage": _object(
                    ["type"],
                    {"type": {"enum": ["jbod", "persistent-claim", "ephemeral"]}, "volumes": {"type": "array"}},
                    closed=False,
                ),
                "resources": _RESOURCES,
            },
        ),
        cluster_label=True,
    ),
    ("kafka.strimzi.io/v1beta2", "Kafka"): _resource(
        "kafka.strimzi.io/v1beta2",
        "Kafka",
        _object(
            ["kafka"],
            {
                "kafka": _object(
                    ["listeners"],
                    {
                        "version": _STRING,
                        "listeners": {
                            "type": "array",
                            "minItems": 1,
                            "items": _object(
                                ["name", "port", "type", "tls"],
                                {
                                    "name": {"type": "string", "pattern": "^[a-z0-9]{1,11}$"},
                                    "port": {"type": "integer", "minimum": 9092},
                                    "type": {
                                        "enum": [
                                            "internal",
                                            "route",
                                            "loadbalancer",
                                            "nodeport",
                                            "ingress",
                                            "cluster-ip",
                                        ]
                                    },
                                    "tls": {"type": "boolean"},
                                    "networkPolicyPeers": {"type": "array"},
                                },
                            ),
                        },
                        "config": {"type": "object"},
                    },
                ),
                "entityOperator": _object(
                    [], {"topicOperator": {"type": "object"}, "userOperator": {"type": "object"}}
                ),
            },
        ),
    ),
    ("postgresql.cnpg.io/v1", "Cluster"): _resource(
        "postgresql.cnpg.io/v1",
        "Cluster",
        _object(
            ["instances", "storage", "bootstrap"],
            {
                "instances": _INT,
                "imageName": _STRING,
                "bootstrap": _object(
                    ["initdb"], {"initdb": _object(["database", "owner"], {"database": _STRING, "owner": _STRING})}
                ),
                "storage": _object(
                    ["size"], {"size": {"type": "string", "pattern": r"^\d+(Mi|Gi|Ti)$"}, "storageClass": _STRING}
                ),
                "resources": _RESOURCES,
            },
        ),
    ),
    ("monitoring.coreos.com/v1", "PodMonitor"): _resource(
        "monitoring.coreos.com/v1",
        "PodMonitor",
        _object(
            ["selector", "podMetricsEndpoints"],
            {
                "selector": {"type": "object"},
                "podMetricsEndpoints": {
                    "type": "array",
                    "minItems": 1,
                    "items": _object(["port"], {"port": _STRING, "path": _STRING, "interval": _STRING}),
                },
            },
        ),
    ),
    ("monitoring.coreos.com/v1", "PrometheusRule"): _resource(
        "monitoring.coreos.com/v1",
        "PrometheusRule",
        _object(
            ["groups"],
            {
                "groups": {
                    "type": "array",
                    "items": _object(
                        ["name", "rules"],
                        {
                            "name": _STRING,
                            "rules": {
                                "type": "array",
                                "items": _object(
                                    ["alert", "expr"],
                                    {
                                        "alert": _STRING,
                                        "expr": _STRING,
                                        "for": _STRING,
                                        "labels": _LABELS,
                                        "annotations": _LABELS,
                                    },
                                ),
                            },
                        },
                    ),
                }
            },
        ),
    ),
}
