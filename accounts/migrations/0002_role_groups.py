"""Create the role groups with the permissions of accounts.roles.ROLE_PERMISSIONS."""

from django.db import migrations

from accounts.roles import sync_role_groups


def create_role_groups(apps, schema_editor) -> None:
    # Permissions added by later migrations (accounts.verify_second_factor, 0003) do not
    # exist yet at this point of a fresh database: 0004 syncs again once they do.
    sync_role_groups(apps, missing_ok=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("clients", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
