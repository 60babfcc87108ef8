"""Write the golden file of an event's current version: ``python make_golden.py EventType 'PAYLOAD_JSON'``.

Run once when an event type or a new schema version appears; never rewrite an existing file.
"""

import json
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import teilhabe_events.contexts  # noqa: F401
from teilhabe_events import new_envelope, registry


def main(event_type: str, payload_json: str) -> Path:
    model = registry.model(event_type)
    payload = json.loads(payload_json)
    envelope = new_envelope(
        event_type=event_type,
        schema_version=model.schema_version,
        stream_type=model.stream_type,
        stream_id=str(uuid.UUID(int=7)),
        stream_version=1,
        payload=payload,
        occurred_at=datetime(2026, 11, 22, 8, 0, tzinfo=UTC),
    )
    current = registry.load(envelope).model_dump(mode="json")
    path = Path(__file__).parent / "golden" / f"{event_type}.v{model.schema_version}.json"
    if path.exists():
        sys.exit(f"{path} exists: golden files are never rewritten")
    document = {"envelope": json.loads(envelope.model_dump_json()), "expected_current_payload": current}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    print(main(sys.argv[1], sys.argv[2]))
