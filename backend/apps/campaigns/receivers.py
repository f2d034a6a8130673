"""What campaigns do when the control plane changes a business."""
from django_tenants.utils import schema_context

from apps.campaigns.services import campaigns_pause_all


def pause_campaigns_of_suspended_business(*, tenant, **_) -> None:
    """A suspended business sends nothing: its campaigns pause (and are resumed by a person once it is back)."""
    with schema_context(tenant.schema_name):
        campaigns_pause_all(reason="Paused because the business was suspended.")
