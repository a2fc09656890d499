"""The Explanation model moves here from the explanations app (which keeps computations only).

Its table and rows stay: the model enters scoring's state on the existing table
(explanations.0002 took it out of that app's state), then the table is renamed
to scoring's name, and the content type follows, so that permissions granted on
explanations keep their meaning.
"""

import django.db.models.deletion
from django.db import migrations, models


def content_type_to_scoring(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="scoring", model="explanation").exists():
        ContentType.objects.filter(app_label="explanations", model="explanation").update(
            app_label="scoring"
        )


def content_type_to_explanations(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="explanations", model="explanation").exists():
        ContentType.objects.filter(app_label="scoring", model="explanation").update(
            app_label="explanations"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('explanations', '0002_explanation_moves_to_scoring'),
        ('scoring', '0004_current_score'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Explanation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('base_value', models.FloatField()),
                        ('raw_score', models.FloatField()),
                        ('contributions', models.JSONField(help_text='feature name -> contribution (log-odds)')),
                        ('feature_values', models.JSONField(help_text='feature name -> value the model saw (null = NaN)')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('score', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='explanation', to='scoring.score')),
                    ],
                    options={'db_table': 'explanations_explanation'},
                ),
            ],
            database_operations=[],
        ),
        # explanations_explanation -> scoring_explanation (a rename: the rows stay).
        migrations.AlterModelTable(name='explanation', table=None),
        migrations.RunPython(content_type_to_scoring, content_type_to_explanations),
    ]
