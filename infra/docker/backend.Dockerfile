# ConvoNest backend image: Django (gunicorn), and the same image runs the Celery worker and beat.
# Build context: the repository root (docker-compose.yml does this):
#     docker build -f infra/docker/backend.Dockerfile -t convonest-backend .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=convonest.settings

WORKDIR /app

# One root pyproject installs everything: `tenants` and the backend packages (`convonest`, `apps`).
COPY pyproject.toml ./
COPY backend ./backend
COPY tenants ./tenants
RUN pip install . \
 && useradd --system --create-home --home-dir /home/convonest --uid 10001 convonest \
 && mkdir -p /app/.data /app/media \
 && chown -R convonest:convonest /app/.data /app/media

# Run from backend/: `python manage.py ...`, gunicorn and celery then import the project from this
# source tree (settings' REPO_DIR = /app, so STATIC_ROOT = /app/.data/static, MEDIA under /app).
WORKDIR /app/backend

# Static files are collected at build time (settings need only placeholders for that); compose
# collects again at start into the volume nginx serves /static/ from.
# (The placeholders are public values: convonest.checks refuses to serve with them.)
RUN DJANGO_SECRET_KEY=collectstatic-only JWT_SIGNING_KEY=collectstatic-only CONTACT_HASH_KEY=collectstatic-only \
    DJANGO_DEBUG=false \
    DATABASE_URL=postgresql://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput \
 && chown -R convonest:convonest /app/.data

USER convonest
EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=5 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/healthz', headers={'Host': os.environ.get('BASE_DOMAIN', 'localhost')}), timeout=4)"

# docker-compose.yml runs the migrations in its one-off `migrate` job; the worker and beat override the command.
# Access logs show the path without its query string (%(U)s; no %(q)s, no referer): tokens stay out of logs.
# Each thread holds at most one database connection: size PostgreSQL's max_connections to match.
CMD ["gunicorn", "convonest.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "gthread", \
     "--threads", "32", "--access-logfile", "-", \
     "--access-logformat", "%(h)s %(t)s \"%(m)s %(U)s %(H)s\" %(s)s %(b)s %(L)s \"%(a)s\""]
