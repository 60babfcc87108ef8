"""Start and stop the platform's services on this machine (after `deploy/local/stack up`).

`up`: migrate each service database, start each service (uvicorn) in the background with its log
in `.local/logs/`, wait until `/health/ready` answers, load demo data, print the URLs.
`up --replicas N`: N processes of every service, replica i on its port + 100 × i (orders 8102 and
8202, the gateway 8000 and 8100); each gateway takes every service's replicas in turn
(`GATEWAY_<SERVICE>_URL` lists them), consumers share their groups' partitions, relays and
scheduled rounds take turns through advisory locks, matching's replicas elect the one that consumes.
`down`: stop them all. `status`: show what runs.
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
    Service("contracts", 8105, "contracts.main:app", demo="contracts.demo"),  # via the gateway: after all are up
    Service("centres", 8107, "centres.main:app", demo="centres.demo"),
    Service("appointments", 8108, "appointments.main:app", demo="appointments.demo"),
    Service("counseling", 8106, "counseling.main:app", demo="counseling.demo"),
    Service(
        "messaging", 8104, "messaging.main:app", env=(("SMTP_SINK", "local"),)
    ),  # mails land in .local/messaging-sink
    Service("gateway", 8000, "gateway.main:app"),  # last: the public door to all of the above
]
"""The services this platform runs, in start order (identity first: others fetch its JWKS)."""


def _name(service: Service, replica: int) -> str:
    """`orders` for the first replica, `orders-2` for the second, …"""
    return service.name if replica == 0 else f"{service.name}-{replica + 1}"


def _port(service: Service, replica: int = 0) -> int:
    return service.port + 100 * replica


def _replicas(service: Service) -> list[int]:
    """The replicas with a pid file (running or not)."""
    found = [0] if (RUN / f"{service.name}.pid").exists() else []
    found += sorted(int(p.stem.rsplit("-", 1)[1]) - 1 for p in RUN.glob(f"{service.name}-*.pid"))
    return found


def _pid(service: Service, replica: int = 0) -> int | None:
    path = RUN / f"{_name(service, replica)}.pid"
    if not path.exists():
        return None
    pid = int(path.read_text())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        path.unlink()
        return None
    return pid


def _ready(service: Service, replica: int = 0) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{_port(service, replica)}/health/ready", timeout=2) as r:
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


def up(replicas: int = 1) -> None:
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
    if replicas > 1:
        for service in SERVICES:
            if service.name != "gateway":
                urls = ",".join(f"http://127.0.0.1:{_port(service, i)}" for i in range(replicas))
                env.setdefault(f"GATEWAY_{service.name.upper()}_URL", urls)
    for service in SERVICES:
        if service.migrate and not all(_pid(service, i) for i in range(replicas)):
            subprocess.run([sys.executable, "-m", "teilhabe_kit.migrations", service.name], check=True, env=env)
        for replica in range(replicas):
            start(service, replica, env)
    print("platform is up" if SERVICES else "platform: Kafka and PostgreSQL are up; no services yet")
    _demo(env)


def start(service: Service, replica: int, env: dict[str, str]) -> None:
    """Start one replica of a service (unless it runs) and wait until it is ready."""
    name, port = _name(service, replica), _port(service, replica)
    if _pid(service, replica):
        print(f"{name}: already running on :{port}")
        return
    log = open(LOGS / f"{name}.log", "ab")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            service.app,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--timeout-graceful-shutdown",
            "5",
        ],  # open event streams (SSE) must not hold up a stop
        stdout=log,
        stderr=subprocess.STDOUT,
        env=dict(service.env) | env,
        start_new_session=True,
    )
    (RUN / f"{name}.pid").write_text(str(process.pid))
    deadline = time.monotonic() + 60
    while not _ready(service, replica):
        if process.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"{name} did not become ready; see {LOGS / (name + '.log')}")
        time.sleep(0.3)
    print(f"{name}: ready on http://127.0.0.1:{port}")


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
        for replica in reversed(_replicas(service)):
            pid = _pid(service, replica)
            if pid:
                os.killpg(pid, signal.SIGTERM)
                for _ in range(100):
                    if not _pid(service, replica):
                        break
                    time.sleep(0.1)
                print(f"{_name(service, replica)}: stopped")


def status() -> int:
    missing = 0
    for service in SERVICES:
        for replica in _replicas(service) or [0]:
            state = "ready" if _ready(service, replica) else ("starting" if _pid(service, replica) else "stopped")
            missing += state != "ready"
            print(f"{_name(service, replica):14} {state:9} http://127.0.0.1:{_port(service, replica)}")
    return 3 if missing else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["up", "down", "status"])
    parser.add_argument("--replicas", type=int, default=1, help="processes per service (up; default 1)")
    arguments = parser.parse_args()
    command = arguments.command
    if command == "up":
        up(max(1, arguments.replicas))
    elif command == "down":
        down()
    else:
        sys.exit(status())


if __name__ == "__main__":
    main()
