from django.db.models import QuerySet
from django.http import Http404

from apps.templates.models import Template


def template_list() -> QuerySet[Template]:
    return Template.objects.all()


def access_template(template_id) -> Template:
    """A template of this business (the tenant's schema) with its history; missing ids are 404."""
    try:
        return template_list().prefetch_related("events").get(pk=int(template_id))
    except (Template.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
