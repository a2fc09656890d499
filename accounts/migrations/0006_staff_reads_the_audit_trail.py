"""Risk staff read the audit trail in the admin (audit.view_auditevent, accounts/roles.py).

Missing permissions of apps not migrated yet are skipped (`missing_ok`): post_migrate
syncs the groups again, strictly, at the end of every migrate (accounts/apps.py).
"""

from django.db import migrations

from accounts.roles import sync_role_groups


def give_roles_their_permissions(apps, schema_editor) -> None:
    sync_role_groups(apps, missing_ok=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_second_factor_role_and_hashed_tokens"),
        ("audit", "0006_append_only"),
    ]

    operations = [
        migrations.RunPython(give_roles_their_permissions, migrations.RunPython.noop),
    ]
