"""Golden JSON: every stored event under golden/ must still parse with today's code.

Each file is an envelope exactly as it was once written (any old schema version). Add one for
every new event type and for every schema version you retire; never edit an existing one.
"""

import json
from pathlib import Path

import teilhabe_events.contexts  # noqa: F401
from teilhabe_events import EventEnvelope, registry

GOLDEN = Path(__file__).parent / "golden"
FILES = sorted(GOLDEN.glob("*.json"))


def test_every_stored_event_still_parses():
    """`expected_current_payload` is the payload as its version read when the file was written; a
    later schema version sees it through the same upcasters as the stored envelope."""
    for path in FILES:
        stored = json.loads(path.read_text())
        envelope = EventEnvelope.model_validate(stored["envelope"])
        event = registry.load(envelope)
        expected = registry.upcast(envelope.event_type, envelope.schema_version, stored["expected_current_payload"])
        assert event.model_dump(mode="json") == expected, path.name


def test_an_upcast_old_version_reads_like_the_new_one():
    """OfferAccepted v1 (`organisation_id`) reads as v2 (`provider_id`); the rest is unchanged."""
    old = EventEnvelope.model_validate(json.loads((GOLDEN / "OfferAccepted.v1.json").read_text())["envelope"])
    event = registry.load(old)
    assert event.schema_version == 2
    assert event.model_dump() == {
        "offer_id": old.payload["offer_id"],
        "seeker_id": old.payload["seeker_id"],
        "assistant_id": old.payload["assistant_id"],
        "provider_id": old.payload["organisation_id"],
    }


def test_every_current_event_version_has_a_golden_file():
    covered = set()
    for path in FILES:
        envelope = json.loads(path.read_text())["envelope"]
        covered.add((envelope["event_type"], envelope["schema_version"]))
    missing = [
        f"{m.event_type} v{m.schema_version}"
        for m in registry.models()
        if (m.event_type, m.schema_version) not in covered
    ]
    assert not missing, f"add golden files for: {missing}"
