"""The surrogate ids of the history tables without a Kaggle key are handed out 1,000 at a time.

Only the importer fills these tables, a million rows at a time: with a cache of 1
every row's id costs the sequence a lock and a write, 1.3 s of the 9 s that
inserting a million instalments took here (measured in one psql session on a
loaded machine: 9.1 s, against 7.8 s with a cache). The ids keep their order
within an import (which keeps the first of repeated lines); only gaps appear
between sessions, and nothing reads them as a count.
"""

from django.db import migrations

TABLES = ("bureau_balance", "pos_cash_balance", "installments_payments", "credit_card_balance")
CACHE = 1000


class Migration(migrations.Migration):
    dependencies = [("clients", "0004_import_friendly_indexes")]

    operations = [
        migrations.RunSQL(
            sql=[f"ALTER TABLE {table} ALTER COLUMN id SET CACHE {CACHE}" for table in TABLES],
            reverse_sql=[f"ALTER TABLE {table} ALTER COLUMN id SET CACHE 1" for table in TABLES],
        )
    ]
