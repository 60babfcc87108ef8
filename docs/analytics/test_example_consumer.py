"""The analytics example consumer on the real broker: typed events, old versions, unknown types."""

import importlib.util
import json
import uuid
from pathlib import Path

from teilhabe_events import decode, encode
from teilhabe_kit.testing import create_topics, publish_raw, unique_topic

GOLDEN = Path(__file__).resolve().parents[2] / "libs/events/tests/golden"
spec = importlib.util.spec_from_file_location("example_consumer", Path(__file__).with_name("example_consumer.py"))
example = importlib.util.module_from_spec(spec)
spec.loader.exec_module(example)


def golden(event_type: str) -> bytes:
    envelope = json.loads(next(GOLDEN.glob(f"{event_type}.v*.json")).read_text())["envelope"]
    return json.dumps(envelope).encode()


async def test_counts_each_event_type_and_survives_what_it_cannot_read(kafka_bootstrap):
    topic = unique_topic("analytics")
    await create_topics(kafka_bootstrap, topic, partitions=2)
    published = decode(golden("OrderPublished"))
    newer = published.model_copy(update={"event_type": "OrderTeleported", "event_id": uuid.uuid4()})
    for value in [
        golden("OrderPublished"),
        golden("OrderPublished"),
        golden("AccountRegistered"),
        encode(newer),
        b"{oops",
    ]:
        await publish_raw(kafka_bootstrap, topic, value, key=b"stream")
    group = f"analytics-{uuid.uuid4().hex[:8]}"
    counts = await example.count_events(kafka_bootstrap, [topic], group)
    assert counts == {"OrderPublished": 2, "AccountRegistered": 1, "unknown:OrderTeleported": 1, "malformed": 1}
    assert await example.count_events(kafka_bootstrap, [topic], group) == {}  # offsets were committed
