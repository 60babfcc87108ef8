"""Coordinators of a provider: their assistants and verification state (the provider's two steps),
requests sent to the provider ("Anfrage senden") with candidates from matching and "Assistenz
vorschlagen". Identity, orders and matching restrict everything to the coordinator's provider."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.api import call, get_json
from gateway.web.backoffice import bt, office_page
from gateway.web.forms import csrf_protect, field_errors
from gateway.web.render import require_user, see_other, t
from teilhabe_kit.problems import Problem

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
IDENTITY = "/api/v1/identity"
ORDERS = "/api/v1/orders"
CONTRACTS = "/api/v1/contracts/assistance"
PROVIDER_STEPS = ("provider_interview", "provider_acceptance")
MARKET = ("published", "awarded")
"""Orders a coordinator still sees (orders answers 404 for withdrawn and fulfilled ones)."""


async def _organisation(request: Request) -> str:
    require_user(request, "coordinator")
    me = await get_json(request, "identity", f"{IDENTITY}/me")
    if not me.get("organisation_id"):
        raise Problem(t(request, "forbidden"), status=403, title="Forbidden")
    return me["organisation_id"]


async def _assistants(request: Request) -> list[dict]:
    found = await get_json(request, "identity", f"{IDENTITY}/accounts", params={"limit": 200})
    return found["items"]


@router.get("/koordination", response_class=HTMLResponse)
async def overview(request: Request) -> Response:
    """Open requests to the provider, then the provider's assistants with their state."""
    organisation_id = await _organisation(request)
    offers, assistants, created = await asyncio.gather(
        get_json(request, "orders", f"{ORDERS}/organisations/{organisation_id}/offers"),
        _assistants(request),
        get_json(request, "orders", f"{ORDERS}/orders", params={"status": ["draft", "published", "awarded"]}),
    )
    items = offers["items"] if isinstance(offers, dict) else offers
    return office_page(
        request,
        "backoffice/coordination.html",
        title=bt(request, "coordination"),
        requests=[o for o in items if o["status"] == "requested"],
        others=[o for o in items if o["status"] in ("submitted", "proposed") and o["order_status"] in MARKET],
        assistants=sorted(assistants, key=lambda a: (a["status"] != "pending_verification", a["name"] or "")),
        created=created["items"],  # orders the coordinator created for seekers (the order wizard)
    )


async def _request_page(
    request: Request,
    order_id: str,
    offer_id: str,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    ok: str = "",
) -> Response:
    organisation_id = await _organisation(request)
    order = await get_json(request, "orders", f"{ORDERS}/orders/{order_id}")
    offer = next(
        (o for o in order.get("offers", []) if o["offer_id"] == offer_id and o["organisation_id"] == organisation_id),
        None,
    )
    if offer is None:
        raise Problem(t(request, "not_found"), status=404, title="Not found")
    candidates: list[dict] = []
    if order["status"] == "published" and offer["kind"] == "provider":
        response = await call(
            request, "matching", "GET", f"/api/v1/matching/orders/{order_id}/candidates", expect={200, 404}
        )
        candidates = response.json()["items"] if response.status_code == 200 else []
    names = {a["id"]: a["name"] for a in await _assistants(request)}
    return office_page(
        request,
        "backoffice/request.html",
        status_code=status_code,
        title=bt(request, "provider_request"),
        order=order,
        offer=offer,
        candidates=candidates,
        names=names,
        errors=errors or {},
        notice=bt(request, "notice_proposed") if ok == "proposed" else None,
    )


@router.get("/koordination/anfragen/{order_id}/{offer_id}", response_class=HTMLResponse)
async def provider_request(request: Request, order_id: str, offer_id: str, ok: str = "") -> Response:
    return await _request_page(request, order_id, offer_id, ok=ok)


@router.get("/koordination/auftraege/{order_id}")
async def order_of_provider(request: Request, order_id: str) -> Response:
    """Where the notices about an order lead ("Ein Auftrag wurde vergeben", "Neue Anfrage an Ihren
    Dienst"): its contract once there is one, else the provider's offer on it."""
    organisation_id = await _organisation(request)
    planned, active = await asyncio.gather(
        get_json(request, "contracts", CONTRACTS, params={"view": "planned"}),
        get_json(request, "contracts", CONTRACTS, params={"view": "active"}),
    )
    contract = next((c for c in planned + active if c["order_id"] == order_id), None)
    if contract is not None:
        return see_other(f"/koordination/vertraege/{contract['contract_id']}")
    order = await get_json(request, "orders", f"{ORDERS}/orders/{order_id}")
    ours = [o for o in order.get("offers", []) if o["organisation_id"] == organisation_id]
    if not ours:
        raise Problem(t(request, "not_found"), status=404, title="Not found")
    ours.sort(key=lambda o: (o["status"] != "accepted", o["kind"] != "provider"))
    return see_other(f"/koordination/anfragen/{order_id}/{ours[0]['offer_id']}")


@router.post("/koordination/anfragen/{order_id}/{offer_id}/vorschlag", response_class=HTMLResponse)
async def propose(request: Request, order_id: str, offer_id: str) -> Response:
    """ "Assistenz vorschlagen": the seeker then sees the proposed assistant and can accept."""
    await _organisation(request)
    assistant_id = str((await request.form()).get("assistant_id", ""))
    response = await call(
        request,
        "orders",
        "POST",
        f"{ORDERS}/orders/{order_id}/offers/{offer_id}/proposal",
        json={"assistant_id": assistant_id},
    )
    if response.status_code >= 300:
        errors = field_errors(response, {"assistant_id": "candidates"})
        return await _request_page(request, order_id, offer_id, {"candidates": next(iter(errors.values()))}, 422)
    return see_other(f"/koordination/anfragen/{order_id}/{offer_id}?ok=proposed")


async def _assistant_page(
    request: Request,
    account_id: str,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
    ok: str = "",
) -> Response:
    await _organisation(request)
    account, verification = await asyncio.gather(
        get_json(request, "identity", f"{IDENTITY}/accounts/{account_id}"),
        get_json(request, "identity", f"{IDENTITY}/accounts/{account_id}/verification"),
    )
    return office_page(
        request,
        "backoffice/assistant.html",
        status_code=status_code,
        title=account["name"] or account_id,
        account=account,
        verification=verification,
        errors=errors or {},
        values=values or {},
        provider_missing=[s for s in verification["missing"] if s in PROVIDER_STEPS],
        notice=bt(request, "notice_step") if ok == "step" else None,
    )


@router.get("/koordination/assistenz/{account_id}", response_class=HTMLResponse)
async def assistant(request: Request, account_id: str, ok: str = "") -> Response:
    return await _assistant_page(request, account_id, ok=ok)


@router.post("/koordination/assistenz/{account_id}/schritte", response_class=HTMLResponse)
async def record_step(request: Request, account_id: str) -> Response:
    """The provider's interview and acceptance, each with a reason."""
    await _organisation(request)
    form = await request.form()
    values = {"step": str(form.get("step", "")), "reason": str(form.get("reason", "")).strip()}
    errors = {}
    if values["step"] not in PROVIDER_STEPS:
        errors["step"] = bt(request, "step_missing")
    if not values["reason"]:
        errors["reason"] = bt(request, "reason_missing")
    if not errors:
        response = await call(
            request, "identity", "POST", f"{IDENTITY}/accounts/{account_id}/verification-steps", json=values
        )
        if response.status_code < 300:
            return see_other(f"/koordination/assistenz/{account_id}?ok=step")
        errors = field_errors(response, {"form": "reason"})
    return await _assistant_page(request, account_id, errors, values, 422)
