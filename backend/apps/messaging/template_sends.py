"""Sending one of the business's approved templates: the values come from the caller or from the template's saved
mapping and the contact, the payload from the same renderer as the preview (apps.templates.rendering), and the
send goes through the one send path (outbox.message_send_to), which applies the window, consent and recipient
rules like for any message."""
from django.db import transaction

from apps.contacts.models import Contact
from apps.contacts.selectors import access_contact
from apps.core.errors import ApplicationError
from apps.messaging import outbox
from apps.messaging.models import Message
from apps.templates.mapping import contact_preview
from apps.templates.models import Template
from apps.templates.rendering import parameters_refused, send_payload
from apps.whatsapp.models import PhoneNumber
from tenants.members import Member


def _require_sendable(template: Template, number: PhoneNumber) -> None:
    if template.waba_id != number.account.waba_id:
        raise ApplicationError("This template belongs to another WhatsApp account than the sending number.",
                               code="validation_error",
                               errors={"template_id": ["Not a template of the sending number's WhatsApp account."]})
    if template.status != Template.Status.APPROVED:
        raise ApplicationError(f"Only approved templates can be sent; this one is {template.status}.",
                               code="validation_error",
                               errors={"template_id": [f"The template is {template.status}, not APPROVED."]})


def _mapped_payload(template: Template, contact: Contact) -> dict:
    rendered, payload = contact_preview(template, contact)
    if rendered.problems:
        raise parameters_refused(rendered.problems, "The mapping can't fill every variable for this contact.")
    return payload


@transaction.atomic
def template_send(*, actor: Member | None, template: Template, number: PhoneNumber, to: str = "",
                  contact_id: int | None = None, contact: Contact | None = None,
                  parameters: dict | None = None) -> Message:
    """Queue `template` from `number` to one person (`to`, `contact_id` or `contact`, exactly one).

    Only APPROVED templates of the number's WABA go. Without `parameters` the saved mapping fills the variables
    from the contact (a contact added for a new number rolls back with a refused send). Missing or invalid
    values: 400 `template_parameters` with `errors` keyed like `parameters.body[0]`."""
    if sum((bool(to), contact_id is not None, contact is not None)) != 1:
        raise TypeError("name the recipient exactly one way: to, contact_id or contact")
    _require_sendable(template, number)
    if contact_id is not None:
        contact = access_contact(contact_id)  # another business's id does not exist here: 404
    if parameters is None:
        if contact is None:
            contact = outbox.recipient_contact(to)
        payload = _mapped_payload(template, contact)
    else:
        payload = send_payload(template, parameters)
    message = {"type": "template", "template": payload}
    recipient = {"contact": contact} if contact is not None else {"to": to}
    return outbox.message_send_to(actor=actor, number=number, message=message, **recipient)
