"""Several replicas of a service behind the gateway: requests go round-robin, a replica that refuses
the connection hands the request (body included) to the next, and the status shows the worst."""

import uuid

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from gateway.app import create_gateway_app
from gateway.settings import Settings
from teilhabe_kit.testing import bearer, database_url, free_port, migrate, serve


def _replica(name: str) -> FastAPI:
    app = FastAPI()

    @app.post("/api/v1/orders/echo")
    async def echo(request: Request) -> JSONResponse:
        return JSONResponse({"replica": name, "body": (await request.body()).decode()}, status_code=201)

    @app.get("/health/ready")
    async def ready() -> dict[str, str]:
        return {"status": "ready"}

    return app


async def test_round_robin_and_a_refusing_replica_is_skipped(stack, token_issuer):
    await migrate("gateway", database_url("gateway"))
    down = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    async with serve(_replica("a")) as a, serve(_replica("b")) as b:
        settings = Settings(orders_url=f"{a}, {b},{down}", cookie_secure=False, rate_per_minute=6000, rate_burst=6000)
        async with serve(create_gateway_app(settings)) as gateway:
            headers = bearer(token_issuer, "acc-rr", "seeker") | {"X-Forwarded-For": f"10.9.{uuid.uuid4().int % 250}.1"}
            async with httpx.AsyncClient(base_url=gateway, headers=headers, timeout=10) as client:
                answers = [(await client.post("/api/v1/orders/echo", json={"n": n})).json() for n in range(6)]
                status = (await client.get("/health/services")).json()
    assert [a["body"] for a in answers] == [f'{{"n":{n}}}' for n in range(6)]  # each body arrived whole
    replicas = [a["replica"] for a in answers]
    assert replicas.count("a") >= 2 and replicas.count("b") >= 2  # taken in turn; the refused turn goes on
    assert status["orders"] == "down"  # one of three replicas is gone
