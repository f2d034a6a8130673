from celery import shared_task


@shared_task(ignore_result=True)
def password_reset_mail(*, tenant_id: int, email: str) -> None:
    """Takes the business's id and the address as typed: a stranger has no user id, and the request
    must not look one up (its timing would tell)."""
    from apps.accounts.services import password_reset_mail_send

    password_reset_mail_send(tenant_id=tenant_id, email=email)
