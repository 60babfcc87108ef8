"""Why a centre is in the finder's results, in words ("berät zu Schulden · 4,2 km · Rollstuhlgerecht").

Pure: the structured reasons (kind, code, German, English) come first, the texts are joined from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from teilhabe_events.centre_catalogue import (
    ACCESSIBILITY_LABELS,
    CHANNEL_LABELS,
    LANGUAGE_LABELS,
    TARGET_GROUP_LABELS,
    TOPIC_LABELS,
    AccessibilityFact,
    Channel,
    Language,
    TargetGroup,
    Topic,
)


@dataclass(frozen=True)
class Reason:
    kind: str
    """topic, distance, covers, language, channel, accessibility, target_group, open_now, fallback"""
    code: str | None
    de: str
    en: str

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


def kilometres(km: float) -> tuple[str, str]:
    """'4,2 km' and '4.2 km'."""
    value = f"{km:.1f}"
    return f"{value.replace('.', ',')} km", f"{value} km"


def _chosen(offered: Sequence[str], chosen: Sequence[str]) -> list[str]:
    return [code for code in chosen if code in offered]


def reasons(
    *,
    distance_km: float,
    covers: bool,
    topics: Sequence[str],
    languages: Sequence[str],
    channels: Sequence[str],
    accessibility: Sequence[str],
    target_groups: Sequence[str],
    wanted_topics: Sequence[str] = (),
    wanted_languages: Sequence[str] = (),
    wanted_channels: Sequence[str] = (),
    wanted_accessibility: Sequence[str] = (),
    wanted_target_groups: Sequence[str] = (),
    open_now: bool = False,
    fallback: bool = False,
) -> list[Reason]:
    """The reasons in the order people read them: what it advises on, how far, then the rest asked for."""
    found: list[Reason] = []
    if fallback:
        found.append(Reason("fallback", None, "zuständig für Ihre Region", "responsible for your region"))
    for code in _chosen(topics, wanted_topics):
        de, en = TOPIC_LABELS[Topic(code)]
        found.append(Reason("topic", code, f"berät zu {de}", f"advises on {en.lower()}"))
    de_km, en_km = kilometres(distance_km)
    found.append(Reason("distance", None, de_km, en_km))
    if covers and not fallback:
        found.append(Reason("covers", None, "zuständig für Ihren Ort", "responsible for your place"))
    for code in _chosen(accessibility, wanted_accessibility or accessibility[:1]):
        de, en = ACCESSIBILITY_LABELS[AccessibilityFact(code)]
        found.append(Reason("accessibility", code, de, en))
    for code in _chosen(languages, wanted_languages):
        de, en = LANGUAGE_LABELS[Language(code)]
        found.append(Reason("language", code, f"Beratung auf {de}", f"counseling in {en}"))
    for code in _chosen(channels, wanted_channels):
        de, en = CHANNEL_LABELS[Channel(code)]
        found.append(Reason("channel", code, de, en))
    for code in _chosen(target_groups, wanted_target_groups):
        de, en = TARGET_GROUP_LABELS[TargetGroup(code)]
        found.append(Reason("target_group", code, f"für {de}", f"for {en.lower()}"))
    if open_now:
        found.append(Reason("open_now", None, "jetzt geöffnet", "open now"))
    return found


def text(found: Sequence[Reason], language: str) -> str:
    return " · ".join(getattr(r, language) for r in found)
