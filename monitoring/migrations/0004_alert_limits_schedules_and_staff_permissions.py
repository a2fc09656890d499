# The default alert limits, the periodic tasks of monitoring/schedules.py and the staff
# role's new permissions (accounts/roles.py).

from django.db import migrations

from accounts.roles import sync_role_groups
from monitoring.schedules import PERIODIC_TASKS, monitoring_defaults_register


def create_limits_and_schedules(apps, schema_editor) -> None:
    monitoring_defaults_register(apps)


def remove_schedules(apps, schema_editor) -> None:
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=list(PERIODIC_TASKS)).delete()


def give_staff_their_permissions(apps, schema_editor) -> None:
    # Apps migrated after this one on a fresh database: post_migrate syncs strictly at the end.
    sync_role_groups(apps, missing_ok=True)


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0003_drift_reports_and_alerts"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("accounts", "0006_staff_reads_the_audit_trail"),
    ]

    operations = [
        migrations.RunPython(create_limits_and_schedules, remove_schedules),
        migrations.RunPython(give_staff_their_permissions, migrations.RunPython.noop),
    ]
