"""Supervisors and risk staff get accounts.verify_second_factor, risk staff the support
permissions (unlock a login, remove an authenticator, revoke a token); DRF's clear-text
tokens become hashed accounts.ApiToken rows.

rest_framework.authtoken kept every key in clear (authtoken_token). Each existing
key is carried over as its SHA-256 and prefix, valid API_TOKEN_LIFETIME_DAYS from
now (so partners keep working), then that table is dropped: no key stays in the
database. authtoken is no longer installed, hence raw SQL, and its migration
records go with the table (were it ever installed again, it would start afresh).
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

from accounts.roles import sync_role_groups


def give_roles_their_permissions(apps, schema_editor) -> None:
    # missing_ok: the role table (accounts/roles.py) may name models of apps migrated
    # after this one (the audit trail for risk staff: 0006); a later migration and
    # post_migrate sync again once they exist.
    sync_role_groups(apps, missing_ok=True)


def hash_existing_tokens(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if "authtoken_token" not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    expires_at = timezone.now() + timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, user_id, created FROM authtoken_token")
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=user_id,
            prefix=key[:8],
            key_digest=hashlib.sha256(key.encode()).hexdigest(),
            created_at=created,
            expires_at=expires_at,
        )
        for key, user_id, created in rows
    )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE authtoken_token")
        cursor.execute("DELETE FROM django_migrations WHERE app = 'authtoken'")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_api_tokens_second_factor"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("clients", "0001_initial"),
        # The support permissions of risk staff name these apps' models.
        ("axes", "0010_accessattemptexpiration"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RunPython(give_roles_their_permissions, migrations.RunPython.noop),
        migrations.RunPython(hash_existing_tokens, migrations.RunPython.noop),
    ]
