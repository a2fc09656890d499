"""The audit trail moves from the monitoring app to its own: every row is copied as it was.

Ids and timestamps are kept (the trail is evidence: an event keeps its number
and its time), then the id sequence is moved past the copied rows.
`monitoring.0002` drops the old table once this has run. Reversible: going
back copies the rows into the old table again (recreated by reversing
`monitoring.0002` first).
"""

from django.db import migrations

COLUMNS = (
    "id, actor_id, actor_username, action, application_id, model_version, detail, created_at"
)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
        ("monitoring", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            sql=[
                f"INSERT INTO audit_auditevent ({COLUMNS}) "
                f"SELECT {COLUMNS} FROM monitoring_auditevent ORDER BY id",
                "SELECT setval(pg_get_serial_sequence('audit_auditevent', 'id'), "
                "COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM audit_auditevent",
            ],
            reverse_sql=[
                f"INSERT INTO monitoring_auditevent ({COLUMNS}) "
                f"SELECT {COLUMNS} FROM audit_auditevent ORDER BY id",
                "SELECT setval(pg_get_serial_sequence('monitoring_auditevent', 'id'), "
                "COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM monitoring_auditevent",
            ],
        ),
    ]
