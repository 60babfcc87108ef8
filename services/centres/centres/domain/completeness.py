"""When a profile is complete enough to be listed in the public finder."""

from __future__ import annotations

from teilhabe_events.contexts.centres import CentreProfile


def missing(profile: CentreProfile | None) -> list[str]:
    """The fields a profile still lacks before the centre may be listed (empty when complete)."""
    if profile is None:
        return ["profile"]
    gaps = []
    if not profile.topics:
        gaps.append("topics")
    if not profile.languages:
        gaps.append("languages")
    if not profile.channels:
        gaps.append("channels")
    if not (profile.contact.phone or profile.contact.email):
        gaps.append("contact")
    if not (profile.service_area.postcodes or profile.service_area.radius_km):
        gaps.append("service_area")
    return gaps
