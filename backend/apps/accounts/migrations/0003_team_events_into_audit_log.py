"""The team's activity log becomes part of the business's audit log: its events are copied over (same time, same
people), then its table goes."""
from django.db import migrations

ACTIONS = {
    "member_joined": "team.member_joined", "role_changed": "team.role_changed", "member_removed": "team.member_removed",
    "invite_sent": "team.invite_sent", "invite_revoked": "team.invite_revoked",
    "reseller_entered": "team.reseller_entered", "reseller_access_revoked": "team.reseller_access_changed",
    "reseller_access_restored": "team.reseller_access_changed",
}


def copy_into_audit_log(apps, schema_editor):
    TeamEvent = apps.get_model("accounts", "TeamEvent")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditEvent.objects.bulk_create([
        AuditEvent(occurred_at=e.created_at, actor_type="reseller" if e.action == "reseller_entered" else "member",
                   actor_label=e.actor_email, action=ACTIONS.get(e.action, "team.role_changed"),
                   target_type="invite" if e.action.startswith("invite") else "user" if e.subject_email else "",
                   target_label=e.subject_email, detail={**e.detail, "copied_from": "team activity"})
        for e in TeamEvent.objects.order_by("created_at", "pk").iterator()
    ], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_reseller_events"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_into_audit_log, migrations.RunPython.noop),
        migrations.DeleteModel(name="TeamEvent"),
    ]
