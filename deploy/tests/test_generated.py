"""The deployment files cover every service in the repository and match what the generator writes."""

from pathlib import Path

import yaml
from deploy_support import ROOT, generate, model


def test_every_service_in_the_repository_has_an_image_a_compose_service_and_manifests(services):
    in_repo = {p.parent.name for p in ROOT.glob("services/*/pyproject.toml")}
    assert set(services) == in_repo
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    base = yaml.safe_load((ROOT / "deploy/k8s/base/kustomization.yaml").read_text())["resources"]
    for name in in_repo:
        assert (ROOT / f"deploy/docker/{name}.Dockerfile").is_file(), name
        assert {name, f"{name}-migrate"} <= set(compose), name
        assert f"services/{name}.yaml" in base and (ROOT / f"deploy/k8s/base/services/{name}.yaml").is_file()


def test_generated_files_are_up_to_date():
    assert generate.stale(generate.outputs()) == [], "run: uv run python deploy/generate.py"


def test_ports_agree_with_the_local_platform_and_the_gateway_routes(services):
    from gateway.settings import SERVICE_PORTS
    from gateway.settings import Settings as GatewaySettings

    local = {s.name: s for s in model._local_platform().SERVICES}
    for name, service in services.items():
        if name in local:
            assert (local[name].port, local[name].app) == (service.port, service.app)
        if name in SERVICE_PORTS:
            assert SERVICE_PORTS[name] == service.port
            assert GatewaySettings().service_url(name).endswith(f":{service.port}")


def test_shape_is_read_from_the_code(services):
    assert services["identity"].port == 8101 and list(services)[0] == "identity"
    assert list(services)[-1] == "gateway"
    for name in ("matching", "messaging"):
        if name in services:
            assert services[name].has_consumers, f"{name} runs its consumers in their own deployment"
    assert not services["gateway"].has_consumers and not services["gateway"].has_relay
    assert {s.env for s in services["gateway"].secrets} == {"GATEWAY_SESSION_SECRET"}
    assert all(Path(p).parts[0] == "libs" for s in services.values() for p in s.libs)


def routed(app, path: str) -> bool:
    """The app's router would take `path` (any method): the same matching a request goes through."""
    from starlette.routing import Match

    scope = {"type": "http", "path": path, "method": "GET", "root_path": "", "headers": [], "query_string": b""}
    return any(route.matches(scope)[0] != Match.NONE for route in app.router.routes)


def test_probes_metrics_and_links_point_at_routes_that_exist(services):
    """What the manifests call (health, metrics, other services' URLs) is served by the code."""
    import importlib

    apps = {name: importlib.import_module(s.app.split(":")[0]).app for name, s in services.items()}
    for name, service in services.items():
        assert routed(apps[name], "/health/live") and routed(apps[name], "/health/ready"), name
        assert routed(apps[name], "/metrics") == service.has_metrics, name
        assert not routed(apps[name], "/no/such/route")
        for env, (target, path) in service.links(services).items():
            if path:
                assert routed(apps[target], path), f"{name}: {env} → {target}{path} is no route"
