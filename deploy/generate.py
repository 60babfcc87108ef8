"""Generates the deployment files of every service in the repository (run after adding a service).

    uv run python deploy/generate.py           # write deploy/docker/*.Dockerfile, docker-compose.yml,
                                               # deploy/k8s/base/{services/*,kafka-topics,kustomization}.yaml
    uv run python deploy/generate.py --check   # exit 1 when a generated file is stale (CI does this)

Everything comes from the repository: services are `services/*/pyproject.toml`; ports and apps from
`deploy/local/platform.py` (else the gateway's routing table); environment variable names, secrets,
URLs of other services and data folders from each service's `Settings` class; whether a service
runs consumers from `projections=` in its `main.py`, an outbox relay from its use of the outbox;
Kafka topics from the event registry. Hand-written parts live beside the output (deploy/k8s/base/
platform, overlays, deploy/compose).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml
from generator.compose import compose
from generator.images import dockerfile
from generator.kubernetes import k8s_service, kafka_topics, kustomization
from generator.model import HEADER, ROOT, discover


def _yaml(*docs: dict) -> str:
    return HEADER + "---\n".join(yaml.safe_dump(d, sort_keys=False, allow_unicode=True, width=120) for d in docs)


def outputs() -> dict[Path, str]:
    """Every generated file and its content."""
    services = discover()
    files = {ROOT / "docker-compose.yml": _yaml(compose(services))}
    base = ROOT / "deploy/k8s/base"
    files[base / "kustomization.yaml"] = _yaml(kustomization(services))
    files[base / "kafka-topics.yaml"] = _yaml(*kafka_topics())
    for service in services.values():
        files[ROOT / f"deploy/docker/{service.name}.Dockerfile"] = dockerfile(service)
        files[base / f"services/{service.name}.yaml"] = _yaml(*k8s_service(service, services))
    return files


def stale(files: dict[Path, str]) -> list[Path]:
    """Generated files that differ from what the repository says, and leftovers of removed services."""
    wrong = [p for p, text in files.items() if not p.exists() or p.read_text() != text]
    leftovers = [
        p
        for p in [*ROOT.glob("deploy/docker/*.Dockerfile"), *ROOT.glob("deploy/k8s/base/services/*.yaml")]
        if p not in files
    ]
    return sorted(wrong + leftovers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    parser.add_argument("--secrets", action="store_true", help="list the secrets operators provide")
    args = parser.parse_args()
    if args.secrets:
        for service in discover().values():
            for s in service.secrets:
                print(f"{service.name}-secrets\t{s.env}")
        return
    files = outputs()
    if args.check:
        if bad := stale(files):
            sys.exit("stale generated files (run uv run python deploy/generate.py):\n" + "\n".join(map(str, bad)))
        return
    for path in stale(files):
        if path in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(files[path])
        else:
            path.unlink()
        print(f"wrote {path.relative_to(ROOT)}" if path in files else f"removed {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
