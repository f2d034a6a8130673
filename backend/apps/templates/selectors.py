from django.db.models import QuerySet
from django.http import Http404

from apps.templates.models import Template
from tenants.members import Member


def template_list(member: Member) -> QuerySet[Template]:
    """The business's templates (the tenant's schema): every member sees them all."""
    return Template.objects.all()


def access_template(member: Member, template_id) -> Template:
    """A template of this business with its history; missing ids are 404."""
    try:
        return template_list(member).prefetch_related("events").get(pk=int(template_id))
    except (Template.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
