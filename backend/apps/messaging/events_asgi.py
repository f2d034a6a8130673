"""The events service: the live inbox's server-sent events, off the API's threads (audit H4, M13).

    uvicorn apps.messaging.events_asgi:application --host 0.0.0.0 --port 8002

nginx (production) and the Next.js proxy (dev, EVENTS_URL) send `GET /api/inbox/events/` here; everything
else goes to the API (gunicorn). Each connection goes through two steps:

1. Authorize, once, in a small thread pool (EVENTS_AUTH_THREADS): the request runs through Django's own
   handler, so the same middleware picks the tenant from the host (unknown host: 404), the same JWT cookie
   authentication and membership check run (401/403), errors come in the same envelope, and the view
   (inbox_api.InboxEventsApi) takes a stream slot (429) and answers with a LiveStream. The thread, and the
   database connection it keeps, go back to the pool before the first byte is streamed.
2. Stream on asyncio: XREAD BLOCK on the business's Redis stream, filtered per listener, until the stream's
   lifetime ends or the client goes away; the slot is released either way.

So an open stream costs a coroutine and a Redis connection, never a thread or a database connection: this
process holds at most EVENTS_AUTH_THREADS database connections however many streams are open.
"""
import asyncio
import io
import json
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convonest.settings")
django.setup()

from convonest.checks import refuse_insecure_start  # noqa: E402

refuse_insecure_start()  # a production entry point like wsgi/asgi: never serve on public secrets

from django.conf import settings  # noqa: E402  (after setup)
from django.core.handlers.asgi import ASGIRequest  # noqa: E402
from django.core.handlers.base import BaseHandler  # noqa: E402
from django.db import close_old_connections, connection, connections  # noqa: E402
from django.urls import set_script_prefix  # noqa: E402

from apps.core.errors import envelope  # noqa: E402
from apps.messaging import live  # noqa: E402

logger = logging.getLogger(__name__)

# What this service answers; anything else is the API's (a mis-routed request must not be served here).
PATHS = {"/api/inbox/events/", "/healthz", "/readyz"}
MAX_BODY = 64 * 1024


class EventsApp:
    def __init__(self, *, auth_threads: int | None = None):
        self.auth_threads = auth_threads or settings.EVENTS_AUTH_THREADS
        self._pool: ThreadPoolExecutor | None = None
        self._redis = None
        self._handler: BaseHandler | None = None
        self.open_streams = 0

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            return await self._lifespan(receive, send)
        if scope["type"] != "http":
            return
        self._start()
        if scope["path"] not in PATHS:
            return await _send_json(send, 404, envelope("not_found", "Not found."))
        if self.open_streams >= settings.EVENTS_MAX_STREAMS:  # this process is full; another replica may not be
            retry = str(settings.INBOX_STREAM_RETRY_AFTER)
            return await _send_json(send, 503, envelope("events_service_busy", "Too many live connections right "
                                                        "now. Try again shortly.", {"retry_after": [retry]}),
                                    [(b"retry-after", retry.encode())])
        body = await _read_body(receive)
        if body is None:
            return await _send_json(send, 413, envelope("request_too_large", "The request body is too large."))
        loop = asyncio.get_running_loop()
        response = await loop.run_in_executor(self._pool, self._authorize, scope, body)
        stream = getattr(response, "live_stream", None)
        self.open_streams += stream is not None
        try:
            await send({"type": "http.response.start", "status": response.status_code,
                        "headers": _headers(response)})
            if stream is None:
                await send({"type": "http.response.body", "body": response.content})
                return
            await self._stream(stream, receive, send)
        finally:
            if stream is not None:
                self.open_streams -= 1
                await asyncio.shield(stream.close(self._redis))

    def _start(self) -> None:
        if self._pool is None:  # also without lifespan events (some test servers don't send them)
            self._pool = ThreadPoolExecutor(self.auth_threads, thread_name_prefix="events-auth")
            self._redis = live.async_client()
            self._handler = BaseHandler()
            self._handler.load_middleware(is_async=False)

    async def _lifespan(self, receive, send):
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._redis is not None:
                    await self._redis.aclose()
                if self._pool is not None:
                    await asyncio.get_running_loop().run_in_executor(None, self._close_pool)
                await send({"type": "lifespan.shutdown.complete"})
                return

    def _close_pool(self) -> None:
        """Close each pool thread's database connection, then the pool (a stopping service leaves none)."""
        barrier = threading.Barrier(self.auth_threads)

        def close():  # the barrier puts one of these on each thread
            try:
                barrier.wait(timeout=5)
            except threading.BrokenBarrierError:
                pass
            connections.close_all()

        for future in [self._pool.submit(close) for _ in range(self.auth_threads)]:
            future.result()
        self._pool.shutdown()
        self._pool = None

    def _authorize(self, scope, body: bytes):
        """Django's request cycle for one request, in a pool thread (as WSGIHandler runs it)."""
        close_old_connections()  # what request_started does
        try:
            set_script_prefix(scope.get("root_path", "") or "/")
            request = ASGIRequest(scope, io.BytesIO(body))
            request.META[live.SERVED_BY_EVENTS_SERVICE] = True
            response = self._handler.get_response(request)
            if getattr(response, "live_stream", None) is None and not response.streaming:
                response.content  # noqa: B018  (render now, in this thread)
            return response
        finally:
            connection.set_schema_to_public()
            close_old_connections()  # what request_finished does: no connection outlives CONN_MAX_AGE

    async def _stream(self, stream: live.LiveStream, receive, send) -> None:
        async def pump():
            async for chunk in stream.frames(self._redis):
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            # Give the slot back before the client sees the end: it reconnects at once and must find it free.
            await asyncio.shield(stream.close(self._redis))
            await send({"type": "http.response.body", "body": b""})

        async def client_gone():
            while (await receive())["type"] != "http.disconnect":
                pass

        tasks = [asyncio.ensure_future(pump()), asyncio.ensure_future(client_gone())]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        if tasks[0] in done and not tasks[0].cancelled() and (error := tasks[0].exception()) is not None:
            logger.warning("inbox event stream of %s ended by %r", stream.listener.schema, error)


def _headers(response) -> list[tuple[bytes, bytes]]:
    headers = [(name.encode("ascii"), value.encode("latin1")) for name, value in response.items()]
    headers += [(b"set-cookie", cookie.output(header="").encode("ascii").strip())
                for cookie in response.cookies.values()]
    return headers


async def _read_body(receive) -> bytes | None:
    body = b""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return body
        body += message.get("body", b"")
        if len(body) > MAX_BODY:
            return None
        if not message.get("more_body"):
            return body


async def _send_json(send, status: int, data: dict, headers: list | None = None) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), *(headers or [])]})
    await send({"type": "http.response.body", "body": json.dumps(data).encode()})


application = EventsApp()
