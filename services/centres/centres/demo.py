"""Demo data for local runs: ``python -m centres.demo`` (idempotent; `deploy/local/platform.py up` runs it).

Creates the demo centre (fixed id `DEMO_CENTRE_ID`, the organisation id identity's demo gives the
demo centre admin and counselors) with all functions and 5 seats, and a demo region of
`REGION_SIZE` generated centres across Germany, every one listed; the first centre of each state
is that state's fallback centre for white spots.
"""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import select

from centres.app import regions
from centres.app.streams import Tx, commit, load
from centres.demo_region import profiles
from centres.domain import decide
from centres.places import state_of
from centres.readmodels.tables import centres_view, region_fallbacks
from centres.settings import Settings
from teilhabe_events.centre_catalogue import CentreFunction
from teilhabe_events.contexts.centres import CentreProfile
from teilhabe_kit import sealing
from teilhabe_kit.auth import Principal, Role
from teilhabe_kit.db import create_engine

DEMO_CENTRE_ID = "5e1c0000-de00-4000-8000-000000000001"
"""The demo centre; identity's demo attaches the demo centre admin and counselors to this organisation id."""
DEMO_ACTOR = Principal(account_id="demo-loader", roles=frozenset({Role.ADMIN}))
REGION_SIZE = 300
BATCH = 50
AGREEMENT_DATE = date(2026, 1, 15)
DEMO_PROFILE = {
    "name": "Beratungszentrum Göttingen (Demo)",
    "provider": "Teilhabe Demo e. V.",
    "description": "Beratung zu Schulden, Sozialleistungen und Behinderung. Termine online buchbar.",
    "address": {"street": "Weender Straße 42", "postcode": "37073", "city": "Göttingen"},
    "location": {"lat": 51.5364, "lon": 9.9326},
    "service_area": {"postcodes": ["37073", "37075", "37077", "37079", "37081", "37083", "37085"], "radius_km": 25},
    "topics": ["debt", "social_benefits", "disability"],
    "target_groups": ["everyone", "disabled_people", "relatives"],
    "languages": ["de", "en", "tr", "ar"],
    "accessibility": ["step_free", "accessible_toilet", "hearing_loop", "easy_language"],
    "opening_hours": {
        "weekly": [{"weekday": d, "start": "09:00", "end": "13:00"} for d in range(5)]
        + [{"weekday": 1, "start": "14:00", "end": "18:00"}, {"weekday": 3, "start": "14:00", "end": "18:00"}],
        "closed_on": ["2026-12-24", "2026-12-31"],
    },
    "channels": ["on_site", "phone", "mail", "chat", "video"],
    "contact": {
        "phone": "0551 9876543",
        "email": "info@beratung-demo.example",
        "website": "https://beratung-demo.example",
    },
}


async def onboard(
    tx: Tx, centre_id: str, profile: CentreProfile, *, functions: list[CentreFunction], seats: int
) -> bool:
    """Interest, agreement, functions, seats and profile of one centre; False when it exists already."""
    state, version = await load(tx, centre_id)
    if state is not None:
        return False
    actor = DEMO_ACTOR.account_id
    key = f"centre-signatory:{centre_id}"
    signatory = await sealing.seal(tx.conn, key, "Demo-Unterzeichnerin")
    assert signatory is not None
    steps = [
        lambda s: decide.record_interest(s, name=profile.name, postcode=profile.address.postcode, recorded_by=actor),
        lambda s: decide.sign_agreement(
            s, version="2026-1", signed_on=AGREEMENT_DATE, signatory_key=key, signatory=signatory, today=date.today()
        ),
        lambda s: decide.set_functions(s, functions),
        lambda s: decide.set_seats(s, seats),
        lambda s: decide.change_profile(s, profile),
    ]
    for step in steps:
        state, version = await commit(tx, centre_id, state, version, step(state), actor_id=actor)
    return True


async def main() -> None:
    settings = Settings()
    engine = create_engine(settings.resolved_database_url())
    made = 0
    try:
        async with engine.begin() as conn:
            tx = Tx(conn, settings.centres_topic)
            await onboard(
                tx,
                DEMO_CENTRE_ID,
                CentreProfile.model_validate(DEMO_PROFILE),
                functions=list(CentreFunction),
                seats=5,
            )
        region = list(profiles(REGION_SIZE))
        async with engine.begin() as conn:
            known = set(await conn.scalars(select(centres_view.c.centre_id)))
        for start in range(0, len(region), BATCH):
            async with engine.begin() as conn:
                for centre_id, profile in region[start : start + BATCH]:
                    if centre_id not in known:
                        made += await onboard(
                            Tx(conn, settings.centres_topic), centre_id, profile, functions=[], seats=0
                        )
        async with engine.begin() as conn:
            chosen = set(await conn.scalars(select(region_fallbacks.c.region)))
            for centre_id, profile in region:
                state = state_of(profile.address.postcode)
                if state and state not in chosen:
                    await regions.set_fallback(Tx(conn, settings.centres_topic), DEMO_ACTOR, state, centre_id)
                    chosen.add(state)
    finally:
        await engine.dispose()
    print(
        f"Beratungsstellen: Demo-Beratungsstelle {DEMO_CENTRE_ID} (Göttingen) und {REGION_SIZE} erzeugte "
        f"in ganz Deutschland ({made} neu); Finder: http://127.0.0.1:8000/api/v1/centres/finder?postcode=37073"
    )


if __name__ == "__main__":
    asyncio.run(main())
