"""Customer service: the verification queue (oldest first), accounts (search, filters, steps with
reasons, activation/refusal, lock/unlock, deletion/restore), organisations and the data access
view of one person with their history from the events (exportable)."""

from __future__ import annotations

import asyncio
import json

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.api import call, get_json
from gateway.web.backoffice import bt, history, office_page
from gateway.web.forms import csrf_protect, field_errors
from gateway.web.render import lang_of, require_user, see_other

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
IDENTITY = "/api/v1/identity"
ROLES = ("seeker", "assistant", "guardian", "coordinator", "admin")
STATUSES = ("pending_verification", "active", "refused", "erased")
QUEUE_SIZE = 50


def _admin(request: Request) -> None:
    require_user(request, "admin")


@router.get("/verwaltung", response_class=HTMLResponse)
async def queue(request: Request, q: str = "", seite: int = 0) -> Response:
    """Who waits for which step, the oldest registration first (identity lists newest first, so
    the page counts from the end); `q` narrows by name, e-mail or phone."""
    _admin(request)
    params: dict[str, object] = {"status": "pending_verification", "limit": 1}
    if q.strip():
        params["q"] = q.strip()[:100]
    total = (await get_json(request, "identity", f"{IDENTITY}/accounts", params=params))["total"]
    seite = max(0, min(seite, (total - 1) // QUEUE_SIZE if total else 0))
    end = total - seite * QUEUE_SIZE
    params |= {"limit": max(1, min(QUEUE_SIZE, end)), "offset": max(0, end - QUEUE_SIZE)}
    found = await get_json(request, "identity", f"{IDENTITY}/accounts", params=params) if total else {"items": []}
    waiting = sorted(found["items"], key=lambda a: a["created_at"])
    states = await asyncio.gather(
        *(get_json(request, "identity", f"{IDENTITY}/accounts/{a['id']}/verification") for a in waiting)
    )
    rows = [{"account": a, "missing": v["missing"]} for a, v in zip(waiting, states)]
    return office_page(
        request,
        "backoffice/queue.html",
        title=bt(request, "queue"),
        rows=rows,
        total=total,
        q=q,
        seite=seite,
        more=end > QUEUE_SIZE,
    )


@router.get("/verwaltung/konten", response_class=HTMLResponse)
async def accounts(
    request: Request,
    q: str = "",
    role: str = "",
    status: str = "",
    locked: str = "",
    deletion: str = "",
    organisation: str = "",
) -> Response:
    _admin(request)
    params: dict[str, object] = {"limit": 100}
    if q.strip():
        params["q"] = q.strip()[:100]
    if role in ROLES:
        params["role"] = role
    if status in STATUSES:
        params["status"] = status
    if organisation:
        params["organisation_id"] = organisation[:64]
    if locked:
        params["locked"] = "true"
    if deletion:
        params["marked_for_deletion"] = "true"
    found = await get_json(request, "identity", f"{IDENTITY}/accounts", params=params)
    return office_page(
        request,
        "backoffice/accounts.html",
        title=bt(request, "accounts"),
        found=found,
        roles_all=ROLES,
        statuses=STATUSES,
        values={
            "q": q,
            "role": role,
            "status": status,
            "locked": locked,
            "deletion": deletion,
            "organisation": organisation,
        },
    )


NOTICES = ("step", "active", "refused", "locked", "unlocked", "deleted", "restored", "organisation")


def _notice(request: Request, ok: str) -> str | None:
    return bt(request, f"notice_{ok}") if ok in NOTICES else None


async def _account(
    request: Request,
    account_id: str,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    values: dict[str, str] | None = None,
    ok: str = "",
) -> Response:
    account = await get_json(request, "identity", f"{IDENTITY}/accounts/{account_id}")
    verification = None
    if account["role"] in ("seeker", "assistant") and account["status"] != "erased":
        verification = await get_json(request, "identity", f"{IDENTITY}/accounts/{account_id}/verification")
    return office_page(
        request,
        "backoffice/account.html",
        status_code=status_code,
        title=account["name"] or account_id,
        account=account,
        verification=verification,
        errors=errors or {},
        values=values or {},
        notice=_notice(request, ok),
    )


@router.get("/verwaltung/konten/{account_id}", response_class=HTMLResponse)
async def account(request: Request, account_id: str, ok: str = "") -> Response:
    _admin(request)
    return await _account(request, account_id, ok=ok)


async def _act(
    request: Request,
    account_id: str,
    path: str,
    notice: str,
    body: dict | None = None,
    method: str = "POST",
    field: str = "form",
    values: dict[str, str] | None = None,
) -> Response:
    response = await call(request, "identity", method, f"{IDENTITY}/accounts/{account_id}{path}", json=body)
    if response.status_code >= 300:
        errors = field_errors(response)
        if response.status_code == 409 or "form" in errors:
            errors = {field: bt(request, "not_possible", detail=next(iter(errors.values())))}
        elif field != "form":
            errors = {field if k in ("reason", "form") else k: v for k, v in errors.items()}
        return await _account(request, account_id, errors, 422 if response.status_code == 422 else 409, values)
    return see_other(f"/verwaltung/konten/{account_id}?ok={notice}")


def _reason(form, name: str) -> str:
    return str(form.get(name, "")).strip()


@router.post("/verwaltung/konten/{account_id}/schritte", response_class=HTMLResponse)
async def record_step(request: Request, account_id: str) -> Response:
    _admin(request)
    form = await request.form()
    step, reason = str(form.get("step", "")), _reason(form, "reason")
    errors = {}
    if not step:
        errors["step"] = bt(request, "step_missing")
    if not reason:
        errors["reason"] = bt(request, "reason_missing")
    if errors:
        return await _account(request, account_id, errors, 422, {"step": step, "reason": reason})
    return await _act(
        request,
        account_id,
        "/verification-steps",
        "step",
        {"step": step, "reason": reason},
        field="reason",
        values={"step": step, "reason": reason},
    )


@router.post("/verwaltung/konten/{account_id}/freischalten", response_class=HTMLResponse)
async def activate(request: Request, account_id: str) -> Response:
    _admin(request)
    return await _act(request, account_id, "/activation", "active", field="activate")


async def _with_reason(request: Request, account_id: str, name: str, path: str, notice: str) -> Response:
    _admin(request)
    reason = _reason(await request.form(), name)
    if not reason:
        return await _account(request, account_id, {name: bt(request, "reason_missing")}, 422)
    return await _act(request, account_id, path, notice, {"reason": reason}, field=name, values={name: reason})


@router.post("/verwaltung/konten/{account_id}/ablehnen", response_class=HTMLResponse)
async def refuse(request: Request, account_id: str) -> Response:
    return await _with_reason(request, account_id, "refuse_reason", "/refusal", "refused")


@router.post("/verwaltung/konten/{account_id}/sperren", response_class=HTMLResponse)
async def lock(request: Request, account_id: str) -> Response:
    return await _with_reason(request, account_id, "lock_reason", "/lock", "locked")


@router.post("/verwaltung/konten/{account_id}/entsperren", response_class=HTMLResponse)
async def unlock(request: Request, account_id: str) -> Response:
    _admin(request)
    return await _act(request, account_id, "/unlock", "unlocked", field="unlock")


@router.post("/verwaltung/konten/{account_id}/loeschen", response_class=HTMLResponse)
async def delete(request: Request, account_id: str) -> Response:
    _admin(request)
    return await _act(request, account_id, "/deletion", "deleted", field="delete")


@router.post("/verwaltung/konten/{account_id}/wiederherstellen", response_class=HTMLResponse)
async def restore(request: Request, account_id: str) -> Response:
    _admin(request)
    return await _act(request, account_id, "/restore", "restored", field="restore")


@router.get("/verwaltung/konten/{account_id}/auskunft", response_class=HTMLResponse)
async def data_access(request: Request, account_id: str) -> Response:
    """The person's data with every verification step and reason (DSGVO Art. 15) and the history
    from the events, downloadable."""
    _admin(request)
    export, found = await asyncio.gather(
        get_json(request, "identity", f"{IDENTITY}/accounts/{account_id}/data-export"),
        history.entries(request, account_id),
    )
    lang = lang_of(request)
    return office_page(
        request,
        "backoffice/export.html",
        title=bt(request, "audit"),
        export=export,
        account_id=account_id,
        history=[history.described(lang, e) for e in found],
        ht=lambda key: history.text(lang, key),
    )


@router.get("/verwaltung/konten/{account_id}/auskunft.json")
async def data_access_file(request: Request, account_id: str) -> Response:
    _admin(request)
    export, found = await asyncio.gather(
        get_json(request, "identity", f"{IDENTITY}/accounts/{account_id}/data-export"),
        history.entries(request, account_id),
    )
    return Response(
        json.dumps(export | {"history": found}, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="auskunft-{account_id}.json"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/verwaltung/konten/{account_id}/verlauf.csv")
async def history_file(request: Request, account_id: str) -> Response:
    _admin(request)
    found = await history.entries(request, account_id)
    return Response(
        history.as_csv(request, found),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="verlauf-{account_id}.csv"',
            "Cache-Control": "no-store",
        },
    )


async def _organisations(
    request: Request,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
    ok: str = "",
) -> Response:
    found = await get_json(request, "identity", f"{IDENTITY}/organisations")
    return office_page(
        request,
        "backoffice/organisations.html",
        status_code=status_code,
        title=bt(request, "organisations"),
        organisations=found,
        errors=errors or {},
        values=values or {"kind": "service_provider"},
        notice=_notice(request, ok),
    )


@router.get("/verwaltung/organisationen", response_class=HTMLResponse)
async def organisations(request: Request, ok: str = "") -> Response:
    _admin(request)
    return await _organisations(request, ok=ok)


@router.post("/verwaltung/organisationen", response_class=HTMLResponse)
async def create_organisation(request: Request) -> Response:
    _admin(request)
    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in ("kind", "name", "postcode")}
    response = await call(request, "identity", "POST", f"{IDENTITY}/organisations", json=values)
    if response.status_code >= 300:
        return await _organisations(request, field_errors(response), values, 422)
    return see_other("/verwaltung/organisationen?ok=organisation")
