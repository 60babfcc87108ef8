#!/bin/bash
# Creates every public event topic and its dead-letter topic (names in TEILHABE_TOPICS, from the
# event registry) with infinite retention; existing topics are left as they are.
set -euo pipefail
for topic in $TEILHABE_TOPICS; do
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --if-not-exists \
    --topic "$topic" --partitions "$TEILHABE_PARTITIONS" --replication-factor 1 \
    --config retention.ms=-1 --config cleanup.policy=delete
done
