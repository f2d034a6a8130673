"""Probes every host serves (what the host is: tenants.site_api)."""
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse


def healthz(request):
    """The process is up. Nothing else is checked: a liveness probe must not depend on the database."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """Ready to serve: PostgreSQL and Redis both answer."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means not ready
        checks["database"] = "unavailable"
    try:
        caches["global"].set("readyz", "1", timeout=5)
        checks["redis"] = "ok" if caches["global"].get("readyz") == "1" else "unavailable"
    except Exception:  # noqa: BLE001
        checks["redis"] = "unavailable"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)
