"""Rendering of the HTML pages: the package's Jinja templates with translated labels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from routeplan.i18n import current_language
from routeplan.serve.labels import page_labels

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"
LEAFLET_PATH = "/static/leaflet"
"""Where the app serves Leaflet's files (``leaflet.js``, ``leaflet.css``) from the local copy."""
TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
"""Map tiles under the pages' maps; offline, the maps draw on a blank background."""
TILE_ORIGIN = "https://tile.openstreetmap.org"


def template_environment() -> Environment:
    """Jinja environment of the package's templates; every value is HTML-escaped."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(request: Request, name: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render ``templates/name`` with the labels ``t`` and the language ``lang``."""
    env: Environment = request.app.state.templates
    leaflet = request.app.state.field.options.leaflet_dir is not None
    html = env.get_template(name).render(
        t=page_labels(),
        lang=current_language().replace("_", "-"),
        leaflet=leaflet,
        tiles=TILE_URL,
        **context,
    )
    return HTMLResponse(html, status_code=status_code)


def not_signed_in_page(request: Request) -> HTMLResponse:
    """The 401 page of a page request without valid credentials: sign in with your link."""
    return render(request, "message.html", status_code=401, message_key="not_signed_in")
