"""A real HTTP server for contract fuzzing, serving Django inside the calling test's transaction.

The server is Django's WSGI server on a free port, in a thread, handling one request at a time. It uses
the test's own database connection, so it sees the test's fixtures (the `alpha` business, its members,
seeded rows) and everything it writes is rolled back with the test. Each request also runs inside its
own savepoint that is rolled back afterwards: every generated request meets the same starting state
(a fuzzed "delete member" or "change password" can't break the next case), and a database error in
one request (which would abort the whole transaction) cannot leak into the next.
"""
import threading
from wsgiref.simple_server import WSGIRequestHandler

from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIServer
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


class _SavepointPerRequest:
    """WSGI middleware: run the request in a savepoint of the shared connection, then roll it back."""

    def __init__(self, app, connection):
        self.app, self.connection = app, connection

    def __call__(self, environ, start_response):
        connection = self.connection
        sid = connection.savepoint()
        try:
            result = self.app(environ, start_response)
            try:
                body = b"".join(result)  # streaming responses too: finish them before rolling back
            finally:
                if hasattr(result, "close"):
                    result.close()
            return [body]
        finally:
            connection.savepoint_rollback(sid)
            connection.needs_rollback = False
            connection.set_schema_to_public()


class ContractServer:
    """`with ContractServer() as server:` serves the app at `server.url` until the block ends."""

    def __init__(self, alias: str = "default"):
        self.connection = connections[alias]
        self.alias = alias
        self._thread = None
        self._server = None

    def __enter__(self):
        # Django closes "old" connections around each request; ours is inside the test's transaction.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        self.connection.inc_thread_sharing()
        self._server = WSGIServer(("127.0.0.1", 0), _QuietHandler, allow_reuse_address=False)
        self._server.set_app(_SavepointPerRequest(WSGIHandler(), self.connection))
        ready = threading.Event()

        def serve():
            connections[self.alias] = self.connection  # this thread uses the test's connection
            ready.set()
            self._server.serve_forever(poll_interval=0.05)

        self._thread = threading.Thread(target=serve, name="contract-server", daemon=True)
        self._thread.start()
        ready.wait(5)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
        self.connection.dec_thread_sharing()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
