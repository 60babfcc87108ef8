"""The Dockerfile of a service: multi-stage, only its package and the libraries it uses."""

from __future__ import annotations

from generator.model import DATA_ROOT, HEADER, PYTHON_IMAGE, UID, UV_IMAGE, Service


def dockerfile(service: Service) -> str:
    parts = [*map(str, service.libs), f"services/{service.name}"]
    copies = "\n".join(f"COPY {p} {p}" for p in parts)
    live = f"http://127.0.0.1:{service.port}/health/live"
    return f"""{HEADER}# Image of `{service.name}`: only its package and the libraries it uses ({", ".join(map(str, service.libs))}).
# Build from the repository root: docker build -f deploy/docker/{service.name}.Dockerfile -t teilhabe/{service.name} .
FROM {UV_IMAGE} AS uv

FROM {PYTHON_IMAGE} AS builder
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
WORKDIR /src
COPY pyproject.toml uv.lock ./
{copies}
RUN uv export --frozen --no-dev --no-editable --no-emit-workspace --package {service.distribution} -o requirements.txt \\
 && uv venv /opt/venv \\
 && uv pip install --python /opt/venv/bin/python --no-deps --require-hashes -r requirements.txt \\
 && uv pip install --python /opt/venv/bin/python --no-deps {" ".join(parts)}

FROM {PYTHON_IMAGE}
RUN groupadd --system --gid {UID} teilhabe \\
 && useradd --system --uid {UID} --gid teilhabe --home-dir /app --shell /usr/sbin/nologin teilhabe \\
 && mkdir -p /app {DATA_ROOT} \\
 && chown {UID}:{UID} {DATA_ROOT}
COPY --from=builder /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
USER {UID}:{UID}
EXPOSE {service.port}
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \\
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('{live}', timeout=2)"]
CMD ["uvicorn", "{service.app}", "--host", "0.0.0.0", "--port", "{service.port}", "--no-server-header"]
"""
