"""The schema export writes the envelope, every event schema and an AsyncAPI document."""

import json

from teilhabe_events import registry
from teilhabe_events.export import main


def test_export_writes_all_schemas(tmp_path):
    main([str(tmp_path)])
    names = {p.name for p in tmp_path.iterdir()}
    assert "envelope.schema.json" in names and "asyncapi.json" in names
    for model in registry.models():
        schema = json.loads((tmp_path / f"{model.event_type}.v{model.schema_version}.schema.json").read_text())
        assert schema["x-topic"] == model.topic()
    envelope = json.loads((tmp_path / "envelope.schema.json").read_text())
    assert {"event_id", "event_type", "schema_version", "payload"} <= set(envelope["required"])
    asyncapi = json.loads((tmp_path / "asyncapi.json").read_text())
    assert asyncapi["asyncapi"].startswith("3.")
