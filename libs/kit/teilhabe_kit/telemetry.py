"""OpenTelemetry hooks: a tracer provider per service and W3C trace context in Kafka headers.

No exporter is configured here; operators add one through the standard OTEL_* variables or by
registering a span processor on `setup_tracing()`'s provider.
"""

from __future__ import annotations

from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider

_provider: TracerProvider | None = None


def setup_tracing(service_name: str) -> TracerProvider:
    """Install (once) a tracer provider named after the service."""
    global _provider
    if _provider is None:
        _provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
        trace.set_tracer_provider(_provider)
    return _provider


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
