"""Helpers of the deployment tests: the generator (deploy/generate.py) and the project's tools."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "deploy" / "tools"
sys.path.insert(0, str(ROOT / "deploy"))  # the generator package, as deploy/generate.py sees it

from generator import kubernetes, model  # noqa: E402  (the tests import them from here)

__all__ = ["ROOT", "generate", "kubernetes", "model", "tool"]


def _load_generator():
    spec = importlib.util.spec_from_file_location("teilhabe_deploy_generate", ROOT / "deploy/generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _load_generator()


def tool(name: str, *args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run a tool that deploy/tools/ fetches into .cache/ on first use."""
    return subprocess.run(
        [str(TOOLS / name), *args], capture_output=True, text=True, cwd=ROOT, env=env, check=check, timeout=600
    )
