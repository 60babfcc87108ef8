"""Write the JSON Schemas of the envelope and every public event, and an AsyncAPI document.

Usage: ``teilhabe-event-schemas OUT_DIR`` (or ``python -m teilhabe_events.export OUT_DIR``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import teilhabe_events.contexts  # noqa: F401  (registers all events)
from teilhabe_events.envelope import EventEnvelope
from teilhabe_events.registry import EventRegistry, registry
from teilhabe_events.topics import dlq_topic


def event_schemas(events: EventRegistry) -> dict[str, dict[str, Any]]:
    """File name → JSON Schema, for the envelope and each current event payload."""
    schemas = {"envelope.schema.json": EventEnvelope.model_json_schema()}
    for model in events.models():
        schema = model.model_json_schema()
        schema["title"] = model.event_type
        schema["x-schema-version"] = model.schema_version
        schema["x-topic"] = model.topic()
        schemas[f"{model.event_type}.v{model.schema_version}.schema.json"] = schema
    return schemas


def asyncapi_document(events: EventRegistry) -> dict[str, Any]:
    """An AsyncAPI 3 document: one channel per topic, one message per event type."""
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for model in events.models():
        topic = model.topic()
        channel = channels.setdefault(topic, {"address": topic, "messages": {}})
        channel["messages"][model.event_type] = {"$ref": f"#/components/messages/{model.event_type}"}
        messages[model.event_type] = {
            "name": model.event_type,
            "summary": (model.__doc__ or "").strip().splitlines()[0] if model.__doc__ else "",
            "contentType": "application/json",
            "headers": {"type": "object", "properties": {"traceparent": {"type": "string"}}},
            "payload": model.model_json_schema(),
            "x-schema-version": model.schema_version,
        }
    for topic in list(channels):
        channels[dlq_topic(topic)] = {"address": dlq_topic(topic), "description": "dead letters"}
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Teilhabe events", "version": "1.0.0"},
        "channels": channels,
        "components": {"messages": messages},
    }


def write(out_dir: Path, events: EventRegistry = registry) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    documents = event_schemas(events) | {"asyncapi.json": asyncapi_document(events)}
    for name, document in documents.items():
        path = out_dir / name
        path.write_text(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args(argv)
    for path in write(args.out_dir):
        print(path)


if __name__ == "__main__":
    main()
