"""accounts.0005: DRF's clear-text tokens become digests; their table goes."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0004_api_tokens_second_factor")]
AFTER = [("accounts", "0005_second_factor_role_and_hashed_tokens")]
KEY = "8a7b4fd76dca64555f855f4c8b6df3bf41f7ca37"


@pytest.fixture
def migrator(transactional_db):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    yield executor
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS authtoken_token")
    executor.loader.build_graph()
    executor.migrate(latest)


def test_existing_tokens_keep_working_as_digests_and_the_clear_keys_are_gone(migrator):
    User = migrator.loader.project_state(BEFORE).apps.get_model("accounts", "User")
    partner = User.objects.create(username="partner")
    with connection.cursor() as cursor:
        # The table rest_framework.authtoken had (it is no longer installed).
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamptz NOT NULL, user_id bigint NOT NULL UNIQUE)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, now() - interval '3 days', %s)",
            [KEY, partner.pk],
        )
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('authtoken', '0001_initial', now())"
        )

    migrator.loader.build_graph()
    migrator.migrate(AFTER)

    ApiToken = migrator.loader.project_state(AFTER).apps.get_model("accounts", "ApiToken")
    (token,) = ApiToken.objects.all()
    assert token.user_id == partner.pk
    assert token.prefix == KEY[:8]
    assert token.key_digest == hashlib.sha256(KEY.encode()).hexdigest()
    assert token.expires_at > token.created_at
    assert "authtoken_token" not in connection.introspection.table_names()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations WHERE app = 'authtoken'")
        assert cursor.fetchone()[0] == 0


def test_without_drfs_table_the_migration_has_nothing_to_move(migrator):
    migrator.loader.build_graph()
    migrator.migrate(AFTER)

    ApiToken = migrator.loader.project_state(AFTER).apps.get_model("accounts", "ApiToken")
    assert not ApiToken.objects.exists()


def test_supervisors_and_risk_staff_get_the_second_factor_permission(migrator):
    migrator.loader.build_graph()
    migrator.migrate(AFTER)

    apps = migrator.loader.project_state(AFTER).apps
    Group = apps.get_model("auth", "Group")
    holders = set(
        Group.objects.filter(permissions__codename="verify_second_factor").values_list(
            "name", flat=True
        )
    )
    assert holders == {"supervisor", "staff"}
