"""Start and stop the platform's services on this machine (after `deploy/local/stack up`).

`up`: migrate each service database, start each service (uvicorn) in the background with its log
in `.local/logs/`, wait until `/health/ready` answers, load demo data, print the URLs.
`down`: stop them. `status`: show what runs.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / ".local" / "run"
LOGS = ROOT / ".local" / "logs"


@dataclass(frozen=True)
class Service:
    name: str
    port: int
    app: str
    migrate: bool = True
    demo: str | None = None
    """A module run as ``python -m <demo>`` once every service is ready (idempotent; prints what it made)."""
    env: tuple[tuple[str, str], ...] = ()
    """Extra environment of this service (defaults the caller's environment may override)."""


SERVICES: list[Service] = [
    Service("identity", 8101, "identity.main:app", demo="identity.demo"),
    Service("orders", 8102, "orders.main:app"),
    Service("matching", 8103, "matching.main:app"),
    Service("contracts", 8105, "contracts.main:app"),
    Service("centres", 8107, "centres.main:app", demo="centres.demo"),
    Service("appointments", 8108, "appointments.main:app", demo="appointments.demo"),
    Service("counseling", 8106, "counseling.main:app", demo="counseling.demo"),
    Service(
        "messaging", 8104, "messaging.main:app", env=(("SMTP_SINK", "local"),)
    ),  # mails land in .local/messaging-sink
    Service("gateway", 8000, "gateway.main:app"),  # last: the public door to all of the above
]
"""The services this platform runs, in start order (identity first: others fetch its JWKS)."""


def _pid(service: Service) -> int | None:
    path = RUN / f"{service.name}.pid"
    if not path.exists():
        return None
    pid = int(path.read_text())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        path.unlink()
        return None
    return pid


def _ready(service: Service) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{service.port}/health/ready", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _service_credential() -> str:
    """A random secret the services share on this machine: messaging and contracts send it to
    identity's internal API, identity sends it to contracts' interested-person contact endpoint."""
    path = ROOT / ".local" / "service-credential"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def up() -> None:
    RUN.mkdir(parents=True, exist_ok=True)
    LOGS.mkdir(parents=True, exist_ok=True)
    env = os.environ.copy()
    credential = _service_credential()
    env.setdefault("IDENTITY_SERVICE_CREDENTIALS", credential)
    env.setdefault("MESSAGING_IDENTITY_CREDENTIAL", credential)
    env.setdefault("CONTRACTS_IDENTITY_CREDENTIAL", credential)
    env.setdefault("CONTRACTS_SERVICE_CREDENTIALS", credential)
    env.setdefault("IDENTITY_CONTRACTS_CREDENTIAL", credential)
    env.setdefault("COUNSELING_IDENTITY_CREDENTIAL", credential)
    env.setdefault("COUNSELING_SERVICE_CREDENTIALS", credential)
    for service in SERVICES:
        if _pid(service):
            print(f"{service.name}: already running on :{service.port}")
            continue
        if service.migrate:
            subprocess.run([sys.executable, "-m", "teilhabe_kit.migrations", service.name], check=True, env=env)
        log = open(LOGS / f"{service.name}.log", "ab")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                service.app,
                "--host",
                "127.0.0.1",
                "--port",
                str(service.port),
                "--timeout-graceful-shutdown",
                "5",
            ],  # open event streams (SSE) must not hold up a stop
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(service.env) | env,
            start_new_session=True,
        )
        (RUN / f"{service.name}.pid").write_text(str(process.pid))
        deadline = time.monotonic() + 60
        while not _ready(service):
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"{service.name} did not become ready; see {LOGS / (service.name + '.log')}")
            time.sleep(0.3)
        print(f"{service.name}: ready on http://127.0.0.1:{service.port}")
    print("platform is up" if SERVICES else "platform: Kafka and PostgreSQL are up; no services yet")
    _demo(env)


def _demo(env: dict[str, str]) -> None:
    """Run each service's demo loader (in start order) and say where to open the web UI."""
    for service in SERVICES:
        if service.demo is None:
            continue
        result = subprocess.run([sys.executable, "-m", service.demo], env=env, capture_output=True, text=True)
        print(
            result.stdout.strip()
            if result.returncode == 0
            else f"{service.name}: demo data not loaded: {result.stderr.strip()[-500:]}"
        )
    if any(s.name == "gateway" for s in SERVICES):
        print("\nOpen the web UI: http://127.0.0.1:8000/")


def down() -> None:
    for service in reversed(SERVICES):
        pid = _pid(service)
        if pid:
            os.killpg(pid, signal.SIGTERM)
            for _ in range(100):
                if not _pid(service):
                    break
                time.sleep(0.1)
            print(f"{service.name}: stopped")


def status() -> int:
    missing = 0
    for service in SERVICES:
        state = "ready" if _ready(service) else ("starting" if _pid(service) else "stopped")
        missing += state != "ready"
        print(f"{service.name:12} {state:9} http://127.0.0.1:{service.port}")
    return 3 if missing else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["up", "down", "status"])
    command = parser.parse_args().command
    if command == "up":
        up()
    elif command == "down":
        down()
    else:
        sys.exit(status())


if __name__ == "__main__":
    main()
