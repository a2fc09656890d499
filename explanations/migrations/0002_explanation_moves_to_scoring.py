# The Explanation model moves to the scoring app (scoring.0005 takes over its table and
# its rows): only Django's state changes here, the database is left as it is.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('explanations', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Explanation')],
            database_operations=[],
        ),
    ]
