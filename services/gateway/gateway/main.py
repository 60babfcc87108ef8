"""`uvicorn gateway.main:app` — the public door of the platform on port 8000."""

from gateway.app import create_gateway_app
from gateway.settings import Settings

app = create_gateway_app(Settings())
