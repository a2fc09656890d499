# The audit trail now lives in the audit app (audit.0002 copied every row first).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0001_initial'),
        ('audit', '0002_copy_from_monitoring'),
    ]

    operations = [
        migrations.DeleteModel(
            name='AuditEvent',
        ),
    ]
