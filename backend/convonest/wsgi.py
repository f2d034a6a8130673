import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convonest.settings")
application = get_wsgi_application()

# With DEBUG off, public or missing secrets stop gunicorn here, before it serves a request (convonest.checks).
from convonest.checks import refuse_insecure_start  # noqa: E402

refuse_insecure_start()
