"""The real platform for browser and cross-service tests: services as subprocesses on free ports.

`running_platform(names)` migrates each service's database, starts `uvicorn <service>.main:app`
on a free loopback port (and the gateway last), points every service at the others by rewriting
the local default URLs of its settings (``127.0.0.1:81xx`` → the test port), waits for
``/health/ready`` and stops them afterwards. Logs go to ``.local/test-logs/<service>.log``.
Set ``TEILHABE_PLATFORM_URL`` to test a gateway started elsewhere instead (nothing is started).
`replicas=N` starts N processes of every service (logs ``<service>-<i>.log``); each gateway takes a
service's replicas in turn, the services call the first replica of each other (`Platform.replicas`
lists them all).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gateway.settings import SERVICE_PORTS
from teilhabe_kit.testing import free_ports

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / ".local" / "test-logs"
STANDARD_PORTS = {"gateway": 8000} | SERVICE_PORTS  # the local defaults every service is configured with
START_ORDER = [
    "identity",
    "orders",
    "matching",
    "messaging",
    "contracts",
    "counseling",
    "centres",
    "appointments",
    "gateway",
]


@dataclass
class Platform:
    urls: dict[str, str] = field(default_factory=dict)
    """The first replica of each service."""
    replicas: dict[str, list[str]] = field(default_factory=dict)

    @property
    def gateway(self) -> str:
        return self.urls["gateway"]


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health/ready", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def service_env(name: str, ports: dict[str, int]) -> dict[str, str]:
    """Environment for `name`: each URL-valued setting whose default names a standard local port
    is redirected to that service's test port (``<PREFIX><FIELD>`` variables)."""
    settings_cls = importlib.import_module(f"{name}.settings").Settings
    prefix = settings_cls.model_config.get("env_prefix", "")
    env = {}
    for field_name, info in settings_cls.model_fields.items():
        default = info.default
        if not isinstance(default, str) or "127.0.0.1:" not in default:
            continue
        value = default
        for other, standard in STANDARD_PORTS.items():
            if other in ports:
                value = value.replace(f"127.0.0.1:{standard}", f"127.0.0.1:{ports[other]}")
        if value != default:
            alias = info.validation_alias if isinstance(info.validation_alias, str) else None
            env[alias or f"{prefix}{field_name}".upper()] = value
    return env


@contextlib.contextmanager
def running_platform(
    names: list[str], extra_env: dict[str, str] | None = None, replicas: int = 1
) -> Iterator[Platform]:
    external = os.environ.get("TEILHABE_PLATFORM_URL")
    if external:
        yield Platform({"gateway": external.rstrip("/")})
        return
    LOGS.mkdir(parents=True, exist_ok=True)
    ordered = [n for n in START_ORDER if n in names]
    all_ports = free_ports(len(ordered) * replicas)
    every = {name: all_ports[i * replicas : (i + 1) * replicas] for i, name in enumerate(ordered)}
    ports = {name: every[name][0] for name in ordered}
    base_env = {k: v for k, v in os.environ.items() if k != "IDENTITY_JWKS_JSON"}
    credential = secrets.token_urlsafe(24)  # for identity's internal API and contracts' contact endpoint
    base_env["IDENTITY_SERVICE_CREDENTIALS"] = credential
    base_env |= {f"{name.upper()}_IDENTITY_CREDENTIAL": credential for name in ordered if name != "identity"}
    base_env |= {"CONTRACTS_SERVICE_CREDENTIALS": credential, "IDENTITY_CONTRACTS_CREDENTIAL": credential}
    if "identity" in ports:
        base_env["IDENTITY_JWKS_URL"] = f"http://127.0.0.1:{ports['identity']}/api/v1/identity/.well-known/jwks.json"
    processes: list[subprocess.Popen] = []
    platform = Platform()
    try:
        migrations = {
            name: subprocess.Popen(
                [sys.executable, "-m", "teilhabe_kit.migrations", name],
                env=base_env | (extra_env or {}),  # the databases the services will use
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name in ordered
        }
        for name, migration in migrations.items():
            _, errors = migration.communicate()
            if migration.returncode != 0:
                raise RuntimeError(f"migrating {name} failed:\n{errors[-2000:]}")
        started: list[tuple[str, str]] = []
        for name, port in ((n, p) for n in ordered for p in every[n]):  # all at once: keys are fetched when needed
            env = base_env | service_env(name, ports) | (extra_env or {})
            if name == "gateway" and replicas > 1:
                env |= {
                    f"GATEWAY_{n.upper()}_URL": ",".join(f"http://127.0.0.1:{q}" for q in every[n]) for n in ordered
                }
            replica = every[name].index(port)
            log = open(LOGS / (f"{name}.log" if replica == 0 else f"{name}-{replica + 1}.log"), "ab")
            started.append((name, f"http://127.0.0.1:{port}"))
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "uvicorn",
                        f"{name}.main:app",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(port),
                        "--log-level",
                        "warning",
                    ],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=env,
                    cwd=ROOT,
                    start_new_session=True,
                )
            )
        deadline = time.monotonic() + 180 * replicas  # every process starts at once on few (busy) cores
        for (name, url), process in zip(started, processes, strict=True):
            while not _ready(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not become ready; see {LOGS / (name + '.log')}")
                time.sleep(0.2)
            platform.urls.setdefault(name, url)
            platform.replicas.setdefault(name, []).append(url)
        yield platform
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def token_for(account_id: str, *roles: str, organisation_id: str | None = None) -> str:
    """An access token signed with the local identity key, as identity issues it at sign-in (for
    staff whose accounts tests do not create through the invitation flow)."""
    from identity.keys import load_signing_key
    from identity.settings import Settings
    from teilhabe_kit.auth import Principal, TokenIssuer

    issuer = TokenIssuer([load_signing_key(Settings())])
    return issuer.issue(Principal(account_id=account_id, roles=frozenset(roles), organisation_id=organisation_id))


def admin_token(account_id: str = "test-admin") -> str:
    return token_for(account_id, "admin")


async def verify_and_activate(base_url: str, login: str, token: str | None = None) -> str:
    """Customer service's part through the public API: find the account, record every missing
    verification step with a reason, activate it. Returns the account id."""
    import httpx

    headers = {"Authorization": f"Bearer {token or admin_token()}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=15) as client:
        found = (await client.get("/api/v1/identity/accounts", params={"q": login})).json()
        account_id = found["items"][0]["id"]
        verification = (await client.get(f"/api/v1/identity/accounts/{account_id}/verification")).json()
        for step in verification["missing"]:
            response = await client.post(
                f"/api/v1/identity/accounts/{account_id}/verification-steps",
                json={"step": step, "reason": "im Test geprüft"},
            )
            response.raise_for_status()
        (await client.post(f"/api/v1/identity/accounts/{account_id}/activation")).raise_for_status()
    return account_id
