"""`create_app()`: the sandbox as a Starlette ASGI app (Graph paths, control API, pages)."""
from __future__ import annotations

import asyncio
import contextlib
import logging

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Mount, Route

from .control import Control
from .graph import GraphApi
from .pages import Pages
from .service import Sandbox
from .state import SandboxState

log = logging.getLogger("sandbox")
SNAPSHOT_EVERY_S = 2.0


def create_app(state: SandboxState | None = None, *, webhook_url: str | None = None, clock=None) -> Starlette:
    """The sandbox app. `state` defaults to `SandboxState.demo()`; `webhook_url` overrides
    `state.config.webhook_url` (default $SANDBOX_WEBHOOK_URL or http://localhost:8000/webhooks/whatsapp);
    `clock` is a `time.time`-like callable (tests pass a fake one). The webhook dispatcher runs during the
    app's lifespan (uvicorn, or `with TestClient(app)`); `app.state.sandbox` is the running `Sandbox`."""
    state = state if state is not None else SandboxState.demo()
    if clock is not None:
        state.set_clock(clock)
    if webhook_url:
        state.config.webhook_url = webhook_url
    sandbox = Sandbox(state)
    graph, control, pages = GraphApi(sandbox), Control(sandbox), Pages(sandbox)

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def sandbox_root(request: Request) -> RedirectResponse:
        return RedirectResponse("/_sandbox/", status_code=307)

    async def sandbox_404(request: Request) -> JSONResponse:
        return JSONResponse({"error": {"message": f"no control endpoint {request.method} {request.url.path}"}},
                            status_code=404)

    sandbox_routes = [
        Route("/", pages.index, methods=["GET"]),
        Route("/phone/{phone_number_id}/{wa_id}", pages.phone, methods=["GET"]),
        Route("/embedded-signup", pages.signup_page, methods=["GET"]),
        Route("/embedded-signup", pages.signup_submit, methods=["POST"]),
        *control.routes(),
        Route("/{path:path}", sandbox_404, methods=["GET", "POST", "PATCH", "DELETE", "PUT"]),
    ]
    # Few top-level routes, so a Graph request is matched after three checks, not forty.
    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/_sandbox", sandbox_root, methods=["GET"]),
        Mount("/_sandbox", routes=sandbox_routes),
        Route("/whatsapp_business/attachments/", graph.download, methods=["GET"]),
        Route("/{path:path}", graph.__call__, methods=["GET", "POST", "DELETE", "PUT"]),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        await sandbox.dispatcher.start()
        saver = asyncio.create_task(_snapshots(state)) if state.snapshot_path else None
        try:
            yield
        finally:
            if saver:
                saver.cancel()
            await sandbox.dispatcher.stop()
            await sandbox.calling.phones.close_all()  # hang up the phones: their UDP sockets and tasks end here
            if state.snapshot_path:
                await asyncio.to_thread(state.save)

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.sandbox = sandbox
    return app


async def _snapshots(state: SandboxState) -> None:
    while True:
        await asyncio.sleep(SNAPSHOT_EVERY_S)
        if state.dirty:
            try:
                await asyncio.to_thread(state.save)
            except Exception:  # a full disk must not take the sandbox down
                log.exception("could not write the sandbox snapshot")
