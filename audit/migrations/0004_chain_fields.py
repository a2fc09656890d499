"""The audit trail's new shape: who as plain values, role, channel, address, the chain's hashes.

`actor` was a foreign key to the user with SET_NULL: deleting a user had to
UPDATE audit rows, which the trail now refuses. It becomes the plain integer
`actor_id` on the same column (the constraint and its index are dropped, the
values kept). The hashes are filled in by 0005 and made compulsory by 0006.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import audit.models


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0003_alter_auditevent_action"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # actor -> actor_id: drop the foreign key's constraint and index, keep the column.
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="auditevent", name="actor"),
                migrations.AddField(
                    model_name="auditevent",
                    name="actor_id",
                    field=models.BigIntegerField(blank=True, null=True, verbose_name="user id"),
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(verbose_name="time")),
                ("first_id", models.BigIntegerField(verbose_name="first event removed")),
                ("last_id", models.BigIntegerField(verbose_name="last event removed")),
                ("last_hash", models.CharField(max_length=64, verbose_name="hash of the last event removed")),
                ("removed", models.BigIntegerField(verbose_name="events removed")),
                ("cutoff", models.DateTimeField(verbose_name="removed events older than")),
                ("retention_days", models.PositiveIntegerField(verbose_name="retention period (days)")),
            ],
            options={
                "verbose_name": "audit checkpoint",
                "verbose_name_plural": "audit checkpoints",
                "ordering": ["-id"],
            },
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={"ordering": ["-id"], "verbose_name": "audit event", "verbose_name_plural": "audit events"},
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_role",
            field=models.CharField(blank=True, max_length=64, verbose_name="role"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="channel",
            field=models.CharField(blank=True, choices=audit.models.channel_choices, max_length=16, verbose_name="channel"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="client_address",
            field=models.CharField(blank=True, max_length=45, verbose_name="client address"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(max_length=64, null=True, verbose_name="previous hash"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(max_length=64, null=True, verbose_name="hash"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(choices=audit.models.action_choices, max_length=48, verbose_name="action"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor_username",
            field=models.CharField(blank=True, max_length=150, verbose_name="user name"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="application_id",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="client (SK_ID_CURR)"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="created_at",
            field=models.DateTimeField(verbose_name="time"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="detail",
            field=models.JSONField(blank=True, default=dict, verbose_name="detail"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="model_version",
            field=models.CharField(blank=True, max_length=32, verbose_name="model version"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["created_at"], name="audit_created_at"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["actor_id", "created_at"], name="audit_actor_time"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["action", "created_at"], name="audit_action_time"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["application_id", "created_at"], name="audit_client_time"),
        ),
    ]
