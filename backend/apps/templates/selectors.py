from django.db.models import QuerySet
from django.http import Http404

from apps.templates.models import Template, TemplateSync
from tenants.members import Member


def template_list(member: Member, *, status: str = "", category: str = "", language: str = "", waba_id: str = "",
                  q: str = "", attention: bool | None = None) -> QuerySet[Template]:
    """The business's templates (the tenant's schema): every member sees them all. Filters as the list page
    offers them; `status` and `category` take Meta's words in any case."""
    templates = Template.objects.all()
    if status:
        templates = templates.filter(status=status.upper())
    if category:
        templates = templates.filter(category=category.upper())
    if language:
        templates = templates.filter(language=language)
    if waba_id:
        templates = templates.filter(waba_id=waba_id)
    if q := q.strip():
        templates = templates.filter(name__icontains=q)
    if attention is True:
        templates = templates.exclude(attention="")
    elif attention is False:
        templates = templates.filter(attention="")
    return templates


def access_template(member: Member, template_id) -> Template:
    """A template of this business with its history; missing ids are 404."""
    try:
        return template_list(member).prefetch_related("events").get(pk=int(template_id))
    except (Template.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def template_sync_list(member: Member, *, waba_id: str = "") -> QuerySet[TemplateSync]:
    """The business's sync runs, newest first (the sync button's progress)."""
    syncs = TemplateSync.objects.all()
    return syncs.filter(waba_id=waba_id) if waba_id else syncs
