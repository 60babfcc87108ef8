"""API fuzzing: schemathesis against every service's OpenAPI (and the gateway's own), through the
gateway, with valid tokens.

The whole platform runs as subprocesses (tests/support/platform_support.py) on PRIVATE databases
(``fuzz_<service>``), so generated junk never lands in the services' own databases. Every
operation gets ``FUZZ_EXAMPLES`` generated requests (default 20 in CI; more by hand, e.g.
``FUZZ_EXAMPLES=200 ./bin/test tests/fuzz -q -p no:logging``), valid ones and schema-violating
ones, each sent with one of several principals (admin, seeker, assistant, coordinator; a counseling
centre's counselor, admin and client). CI sends
the same examples every run; ``FUZZ_RANDOM=1`` draws new ones.
Checks: no answer is a server error (5xx), and every 4xx is ``application/problem+json``.
All findings of a service are collected and reported together.
"""

from __future__ import annotations

import os
import uuid

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from platform_support import running_platform, token_for
from schemathesis import GenerationMode

from teilhabe_kit.testing import ensure_database

SERVICES = ["identity", "orders", "matching", "messaging", "contracts", "counseling", "appointments"]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
RANDOM = os.environ.get("FUZZ_RANDOM") == "1"  # fresh examples each run instead of the same ones
# a fuzzer sends hundreds of requests from 127.0.0.1 within seconds: room for them in the buckets
TEST_ENV = {
    "GATEWAY_RATE_BURST": "1000000",
    "GATEWAY_RATE_PER_MINUTE": "1000000",
    "GATEWAY_SENSITIVE_BURST": "1000000",
    "GATEWAY_SENSITIVE_PER_MINUTE": "1000000",
}
# the APIs are fuzzed, not the consumers: in the services' own consumer groups they would take events
# away from a locally running copy (and write them into the private databases)
TEST_ENV |= {
    f"{name.upper()}_RUN_CONSUMERS": "false"
    for name in ["orders", "matching", "messaging", "contracts", "counseling", "appointments"]
}
TEST_ENV |= {"MESSAGING_RUN_DELIVERY": "false"}
ORGANISATION = str(uuid.uuid4())
CENTRE = str(uuid.uuid4())
"""A counseling centre's staff and client: counseling's and appointments' pages past the role check."""
CENTRE_PRINCIPALS = [
    token_for(str(uuid.uuid4()), "counselor", organisation_id=CENTRE),
    token_for(str(uuid.uuid4()), "centre_admin", organisation_id=CENTRE),
    token_for(str(uuid.uuid4()), "client", organisation_id=CENTRE),
]
PRINCIPALS = [
    token_for(str(uuid.uuid4()), "admin"),
    token_for(str(uuid.uuid4()), "seeker"),
    token_for(str(uuid.uuid4()), "assistant"),
    token_for(str(uuid.uuid4()), "coordinator", organisation_id=ORGANISATION),
]


@pytest.fixture(scope="module")
async def gateway(stack, tmp_path_factory):
    saved = {
        f"DATABASE_URL_{name.upper()}": os.environ.get(f"DATABASE_URL_{name.upper()}")
        for name in [*SERVICES, "gateway"]
    }
    for name in [*SERVICES, "gateway"]:
        os.environ[f"DATABASE_URL_{name.upper()}"] = await ensure_database(f"fuzz_{name}")
    try:
        files = {"MESSAGING_STORAGE_DIR": str(tmp_path_factory.mktemp("fuzz-files"))}  # uploaded documents
        with running_platform([*SERVICES, "gateway"], extra_env=TEST_ENV | files) as platform:
            yield platform.gateway
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def findings_for(operation, base_url: str, session: requests.Session, principals: list[str]) -> tuple[list[str], int]:
    """Send EXAMPLES generated requests for one operation; what went wrong (one line each) and
    how many requests were sent."""
    found: list[str] = []
    sent = 0
    strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not RANDOM,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy, principal=st.sampled_from(principals))
    def run(case, principal):
        nonlocal sent
        sent += 1
        response = case.call(
            base_url=base_url, session=session, headers={"Authorization": f"Bearer {principal}"}, timeout=30
        )
        status = response.status_code
        content_type = response.headers.get("content-type", [""])
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        if status >= 500:
            found.append(
                f"{status} {case.method} {case.formatted_path} {response.text[:300]!r}\n    {case.as_curl_command()}"
            )
        elif 400 <= status < 500 and not content_type.startswith("application/problem+json"):
            found.append(
                f"{status} with {content_type!r}: {case.method} {case.formatted_path}\n    {case.as_curl_command()}"
            )

    run()
    return found, sent


@pytest.mark.parametrize("service", [*SERVICES, "gateway"])
def test_no_server_errors_and_problem_json(gateway, service):
    schema = schemathesis.openapi.from_url(f"{gateway}/api/v1/{service}/openapi.json")
    session = requests.Session()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, f"{service} publishes no operations"
    findings: list[str] = []
    requests_sent = 0
    # counseling's and appointments' staff and clients as well (the other services keep their examples)
    principals = CENTRE_PRINCIPALS + PRINCIPALS if service in ("counseling", "appointments") else PRINCIPALS
    for operation in operations:
        if operation.path.endswith(("/stream", "/events")):  # server-sent events stay open
            continue
        found, sent = findings_for(operation, gateway, session, principals)
        findings += found
        requests_sent += sent
    print(f"{service}: {len(operations)} operations, {requests_sent} requests ({EXAMPLES} examples each)")
    assert not findings, f"{len(findings)} findings in {service}:\n" + "\n".join(dict.fromkeys(findings))
