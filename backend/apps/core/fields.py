"""Model fields shared by the business apps."""
from django.conf import settings
from django.db import models


def user_reference(**options) -> models.ForeignKey:
    """A business's row naming a person (`tenants.User`, in the public schema), without a database constraint.

    A constraint from each business schema puts two triggers per column on `public.tenants_user`: 16 a business,
    66,770 at 4,200 businesses. Every business then made the one users table slower: adding a schema rebuilt its
    trigger list (1 s a constraint), a new connection's first read of it took 120 ms, and each UPDATE of a user
    (every login's `last_login`) checked them all: 1.5-2 s. People are never deleted, and these columns are only
    set to the acting member, so the constraint guarded nothing the code doesn't (docs/scaling-citus.md).
    """
    options.setdefault("null", True)
    options.setdefault("related_name", "+")
    return models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, db_constraint=False, **options)
