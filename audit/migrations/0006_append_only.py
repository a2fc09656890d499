"""Every event now carries its hashes (one chain: no two events follow the same one),
and the database refuses UPDATE and DELETE on the audit tables (pgtrigger.Protect)."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("audit", "0005_chain_existing_events")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(max_length=64, verbose_name="previous hash"),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("prev_hash",), name="audit_one_chain"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(max_length=64, verbose_name="hash"),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="auditevent",
            trigger=pgtrigger.compiler.Trigger(name="append_only", sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash="0450288fcb55201b346da4e2d56d2293ba7aac03", operation="UPDATE OR DELETE", pgid="pgtrigger_append_only_00dfa", table="audit_auditevent", when="BEFORE")),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="auditcheckpoint",
            trigger=pgtrigger.compiler.Trigger(name="append_only", sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash="da9700711316e8daa6d320e30a2ab4fa1cd4304d", operation="UPDATE OR DELETE", pgid="pgtrigger_append_only_616df", table="audit_auditcheckpoint", when="BEFORE")),
        ),
    ]
