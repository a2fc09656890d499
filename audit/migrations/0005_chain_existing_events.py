"""The events recorded before the chain existed are chained, in id order, from GENESIS.

Their hashes are computed with the same canonical form as every later event
(audit/chain.py), so `audit_verify` checks them like the rest. Their new
fields (role, channel, address) stay empty: nobody recorded them at the time.
"""

from django.db import migrations

from audit.chain import GENESIS, HASHED_FIELDS, chain_hash

BATCH = 2000


def chain_existing_events(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    previous = GENESIS
    updates = []
    with schema_editor.connection.cursor() as cursor:
        for fields in AuditEvent.objects.order_by("id").values(*HASHED_FIELDS).iterator(BATCH):
            digest = chain_hash(previous, fields)
            updates.append((previous, digest, fields["id"]))
            previous = digest
            if len(updates) >= BATCH:
                cursor.executemany(
                    "UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", updates
                )
                updates = []
        if updates:
            cursor.executemany(
                "UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", updates
            )


class Migration(migrations.Migration):

    dependencies = [("audit", "0004_chain_fields")]

    operations = [migrations.RunPython(chain_existing_events, migrations.RunPython.noop)]
