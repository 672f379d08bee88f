"""The app factory of ``routeplan serve``: :func:`create_app`.

Examples
--------
>>> from routeplan.planning.prepare import prepare  # doctest: +SKIP
>>> app = create_app(prepare(Path("data/demo")), Path("data/demo/plan.sqlite"))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from routeplan import __version__
from routeplan.planning.prepare import Prepared
from routeplan.serve.middleware import FieldMiddleware, one_line
from routeplan.serve.options import ServeOptions
from routeplan.serve.pages import LEAFLET_PATH, STATIC_DIR, template_environment
from routeplan.serve.routers import access, replan, stops, summary, visits
from routeplan.serve.state import FieldState

API_DESCRIPTION = """The field app's JSON API. Authenticate with `Authorization: Bearer <token>`
(from `POST /api/v1/signin` with a one-time sign-in token, or `routeplan access token`), or with
the session cookie of the phone pages plus the `X-CSRF-Token` header on writes. Errors are
`{"detail": "one line"}` with a 4xx status; nothing is written on an error."""


def _errors(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        malformed = any(e.get("type") == "json_invalid" for e in errors)
        return JSONResponse({"detail": one_line(errors)}, status_code=400 if malformed else 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            {"detail": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers
        )


def create_app(
    prepared: Prepared, store_path: Path, *, options: ServeOptions | None = None
) -> FastAPI:
    """Build the field app over one data folder's inputs and plan store.

    Parameters
    ----------
    prepared
        Settings and validated, tiered inputs (:func:`routeplan.planning.prepare.prepare`).
    store_path
        The plan store (SQLite; WAL mode lets a ``build`` write while the app serves).
    options
        Cookies, limits, a fixed "today" (:class:`ServeOptions`).

    Returns
    -------
    fastapi.FastAPI
        The ASGI app: pages (``/today``, ``/live``, ``/signin``), the JSON API under
        ``/api/v1`` and its OpenAPI document at ``/api/v1/openapi.json``.

    """
    options = options or ServeOptions()
    state = FieldState(prepared, store_path, options)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    app = FastAPI(
        title="routeplan field app",
        version=__version__,
        description=API_DESCRIPTION,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.field = state
    app.state.templates = template_environment()
    for module in (access, stops, visits, replan, summary):
        app.include_router(module.router)
    if options.leaflet_dir is not None:  # before /static, which would catch its paths
        app.mount(LEAFLET_PATH, StaticFiles(directory=options.leaflet_dir), name="leaflet")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/sw.js", include_in_schema=False)
    def service_worker() -> Response:
        return FileResponse(STATIC_DIR / "sw.js", media_type="text/javascript")

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    _errors(app)
    app.add_middleware(
        FieldMiddleware,
        max_body_bytes=options.max_body_bytes,
        language=prepared.settings.ui.language,
    )
    return app
