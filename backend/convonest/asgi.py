import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convonest.settings")
application = get_asgi_application()

# With DEBUG off, public or missing secrets stop the server here, before it serves a request (convonest.checks).
from convonest.checks import refuse_insecure_start  # noqa: E402

refuse_insecure_start()
