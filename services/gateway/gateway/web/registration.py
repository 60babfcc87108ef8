"""Registration wizards: seekers (steps of seed 001) and assistants ("Freischaltung beantragen").

Each step is a plain form; its answers are kept in the server-side session draft until the last
step sends everything to identity. A 422 from identity brings the person back to the step of the
named field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from gateway.web.api import call
from gateway.web.forms import bad_ranges, csrf_protect, field_errors, form_text, shown_ranges, weekly_ranges
from gateway.web.render import page, see_other, session_of, t
from teilhabe_events.activities import Activity, Trait

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

REGISTER_SEEKER = "/api/v1/identity/registrations/seekers"
REGISTER_ASSISTANT = "/api/v1/identity/registrations/assistants"
PROVIDERS = "/api/v1/identity/organisations"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CONSENTS = ("privacy", "withdrawal", "terms", "data_processing")


def _person(request: Request, form: FormData) -> tuple[dict[str, Any], dict[str, str]]:
    data = {k: form_text(form, k) for k in ("name", "email", "phone", "postcode", "introduction")}
    errors = {}
    if not data["name"]:
        errors["name"] = t(request, "enter_name")
    if not data["email"] and not data["phone"]:
        errors["email"] = t(request, "contact_hint")
    elif data["email"] and not EMAIL.match(data["email"]):
        errors["email"] = (
            t(request, "email") + ": " + ("ungültig" if request.state.session.get("lang") != "en" else "invalid")
        )
    if not re.fullmatch(r"\d{5}", data["postcode"]):
        errors["postcode"] = f"{t(request, 'postcode')}: {t(request, 'postcode_hint')}"
    return data, errors


def _needs(request: Request, form: FormData) -> tuple[dict[str, Any], dict[str, str]]:
    chosen = [a for a in form.getlist("needs") if a in Activity._value2member_map_]
    return {"needs": chosen}, {} if chosen else {"needs": t(request, "needs_hint")}


def _times(request: Request, form: FormData) -> tuple[dict[str, Any], dict[str, str]]:
    ranges, shown = weekly_ranges(form, "times")
    if bad_ranges(ranges):
        return {"time_windows": ranges, "times_shown": shown}, {"times": t(request, "times_missing")}
    return {"time_windows": ranges, "times_shown": shown}, {}


def _credentials(request: Request, form: FormData) -> tuple[dict[str, Any], dict[str, str]]:
    password, repeat = str(form.get("password", "")), str(form.get("password_repeat", ""))
    errors = {}
    if len(password) < 10:  # identity's rule; it also refuses common and personal passwords
        errors["password"] = t(request, "password_hint")
    elif password != repeat:
        errors["password_repeat"] = t(request, "password_repeat")
    return ({"password": password} if not errors else {}), errors


def _nothing(request: Request, form: FormData) -> tuple[dict[str, Any], dict[str, str]]:
    return {}, {}


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    template: str
    parse: Callable[[Request, FormData], tuple[dict[str, Any], dict[str, str]]]
    fields: tuple[str, ...] = ()


SEEKER_STEPS = [
    Step(
        "ueber-sie",
        "reg_step_intro",
        "register/person.html",
        _person,
        ("name", "email", "phone", "postcode", "introduction"),
    ),
    Step("bedarf", "reg_step_needs", "register/needs.html", _needs, ("needs",)),
    Step("zeitfenster", "reg_step_times", "register/times.html", _times, ("times", "time_windows")),
    Step("zugangsdaten", "reg_step_credentials", "register/credentials.html", _credentials, ("password",)),
    Step("pruefen", "reg_step_review", "register/review.html", _nothing),
    Step("einwilligungen", "reg_step_consents", "register/consents.html", _nothing, ("consents",)),
]


def _step_of_field(field: str) -> int:
    for index, step in enumerate(SEEKER_STEPS):
        if field in step.fields:
            return index
    return 0


def _render_step(
    request: Request, index: int, errors: dict[str, str] | None = None, status_code: int = 200
) -> Response:
    draft = session_of(request).get("seeker_draft", {})
    step = SEEKER_STEPS[index]
    return page(
        request,
        step.template,
        status_code=status_code,
        title=t(request, step.title),
        steps=SEEKER_STEPS,
        index=index,
        step=step,
        draft=draft,
        values=draft,
        ranges=draft.get("times_shown") or shown_ranges(draft.get("time_windows", [])),
        errors=errors or {},
    )


@router.get("/registrieren", response_class=HTMLResponse)
async def seeker_welcome(request: Request) -> Response:
    return page(request, "register/welcome.html", title=t(request, "reg_title"))


@router.get("/registrieren/fertig", response_class=HTMLResponse)
async def seeker_done(request: Request) -> Response:
    return page(request, "register/done.html", title=t(request, "reg_done_title"), text=t(request, "reg_done_text"))


@router.get("/registrieren/{slug}", response_class=HTMLResponse)
async def seeker_step(request: Request, slug: str) -> Response:
    index = next((i for i, s in enumerate(SEEKER_STEPS) if s.slug == slug), None)
    if index is None:
        return see_other("/registrieren")
    return _render_step(request, index)


@router.post("/registrieren/{slug}", response_class=HTMLResponse)
async def seeker_step_submit(request: Request, slug: str) -> Response:
    index = next((i for i, s in enumerate(SEEKER_STEPS) if s.slug == slug), None)
    if index is None:
        return see_other("/registrieren")
    form = await request.form()
    session = session_of(request)
    draft = dict(session.get("seeker_draft", {}))
    data, errors = SEEKER_STEPS[index].parse(request, form)
    draft |= data
    session.set("seeker_draft", draft)
    if "back" in form:
        return see_other(f"/registrieren/{SEEKER_STEPS[max(0, index - 1)].slug}")
    if errors:
        return _render_step(request, index, errors, status_code=422)
    if index + 1 < len(SEEKER_STEPS):
        return see_other(f"/registrieren/{SEEKER_STEPS[index + 1].slug}")
    consents = [c for c in CONSENTS if form.get(f"consent_{c}")]
    if len(consents) < len(CONSENTS):
        missing = {f"consent_{c}": t(request, f"consent_{c}") for c in CONSENTS if c not in consents}
        return _render_step(request, index, missing, status_code=422)
    body = _seeker_body(draft, consents)
    response = await call(request, "identity", "POST", REGISTER_SEEKER, json=body, anonymous=True)
    if response.status_code in (200, 201, 202):
        session.pop("seeker_draft")
        return see_other("/registrieren/fertig")
    errors = field_errors(response, API_FIELDS)
    target = min((_step_of_field(name) for name in errors), default=0)
    return _render_step(request, target, errors, status_code=422)


API_FIELDS = {"time_windows": "times", "needs": "needs", "consents": "consents"}


def _seeker_body(draft: dict[str, Any], consents: list[str]) -> dict[str, Any]:
    return {
        "name": draft.get("name", ""),
        "email": draft.get("email") or None,
        "phone": draft.get("phone") or None,
        "postcode": draft.get("postcode", ""),
        "introduction": draft.get("introduction") or None,
        "needs": draft.get("needs", []),
        "time_windows": draft.get("time_windows", []),
        "password": draft.get("password", ""),
        "consents": {c: True for c in consents},
    }


# ---- assistants: one page with sections, ending in "Freischaltung beantragen" ----


async def _providers(request: Request) -> list[dict[str, Any]]:
    body = await get_json_anonymous(request, PROVIDERS, {"kind": "service_provider"})
    return body.get("items", body) if isinstance(body, dict) else body


async def get_json_anonymous(request: Request, path: str, params: Any = None) -> Any:
    response = await call(request, "identity", "GET", path, params=params, anonymous=True, expect={200, 401, 403, 404})
    return response.json() if response.status_code == 200 else []


def _assistant_form(request: Request, providers, errors=None, values=None, ranges=None, status_code=200):
    return page(
        request,
        "register/assistant.html",
        status_code=status_code,
        title=t(request, "areg_title"),
        providers=providers,
        errors=errors or {},
        values=values or {},
        ranges=ranges or {},
    )


@router.get("/assistenz/registrieren", response_class=HTMLResponse)
async def assistant_form(request: Request) -> Response:
    return _assistant_form(request, await _providers(request))


@router.post("/assistenz/registrieren", response_class=HTMLResponse)
async def assistant_submit(request: Request) -> Response:
    form = await request.form()
    person, errors = _person(request, form)
    activities = [a for a in form.getlist("activities") if a in Activity._value2member_map_]
    traits = [x for x in form.getlist("traits") if x in Trait._value2member_map_]
    ranges, shown = weekly_ranges(form, "availability")
    values = person | {
        "activities": activities,
        "traits": traits,
        "radius_km": form_text(form, "radius_km"),
        "provider": form_text(form, "provider"),
    }
    credentials, credential_errors = _credentials(request, form)
    errors |= credential_errors
    if not activities:
        errors["activities"] = t(request, "activities")
    if bad_ranges(ranges):
        errors["availability"] = t(request, "times_missing")
    self_employed = values["provider"] == "self"
    if not values["provider"]:
        errors["provider"] = t(request, "provider_hint")
    consents = [c for c in CONSENTS if form.get(f"consent_{c}")]
    for c in CONSENTS:
        if c not in consents:
            errors[f"consent_{c}"] = t(request, f"consent_{c}")
    try:
        radius = float(values["radius_km"] or 0)
    except ValueError:
        radius = 0
    if not 0 < radius <= 200:
        errors["radius_km"] = t(request, "radius")
    if not errors:
        body = {
            "name": person["name"],
            "email": person["email"] or None,
            "phone": person["phone"] or None,
            "postcode": person["postcode"],
            "introduction": person["introduction"] or None,
            "activities": activities,
            "availability": ranges,
            "radius_km": radius,
            "traits": traits,
            "organisation_id": None if self_employed else values["provider"],
            "self_employed": self_employed,
            "password": credentials["password"],
            "consents": {c: True for c in consents},
        }
        response = await call(request, "identity", "POST", REGISTER_ASSISTANT, json=body, anonymous=True)
        if response.status_code in (200, 201, 202):
            return page(
                request, "register/done.html", title=t(request, "reg_done_title"), text=t(request, "areg_done_text")
            )
        errors = field_errors(
            response, {"organisation_id": "provider", "self_employed": "provider", "availability": "availability"}
        )
    return _assistant_form(request, await _providers(request), errors, values, shown, status_code=422)
