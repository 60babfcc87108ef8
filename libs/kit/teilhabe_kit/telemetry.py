"""OpenTelemetry hooks: a tracer provider per service and W3C trace context in Kafka headers.

Exporters follow the standard variables: spans go over OTLP/HTTP only when
``OTEL_EXPORTER_OTLP_ENDPOINT`` (or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``) is set and not empty,
and to stdout when ``OTEL_TRACES_EXPORTER`` names ``console``. Tests register their own span
processor on `setup_tracing()`'s provider.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

_provider: TracerProvider | None = None


def setup_tracing(service_name: str) -> TracerProvider:
    """Install (once) a tracer provider named after the service."""
    global _provider
    if _provider is None:
        _provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
        for processor in configured_exporters(os.environ):
            _provider.add_span_processor(processor)
        trace.set_tracer_provider(_provider)
    return _provider


def configured_exporters(env: Mapping[str, str]) -> list[SpanProcessor]:
    """The span processors the environment asks for (none by default)."""
    processors: list[SpanProcessor] = []
    if env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or env.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        processors.append(BatchSpanProcessor(OTLPSpanExporter()))
    if "console" in env.get("OTEL_TRACES_EXPORTER", "").split(","):
        processors.append(BatchSpanProcessor(ConsoleSpanExporter()))
    return processors


def tracer(name: str) -> trace.Tracer:
    return trace.get_tracer(name)


def current_trace_headers() -> dict[str, str]:
    """The current trace context as W3C headers (``traceparent``, ``tracestate``)."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


def context_from_headers(headers: dict[str, str] | None) -> Context:
    """The trace context carried by message or request headers."""
    return propagate.extract(headers or {})
