"""The model moves here from ``agreements`` with its table (state only); its content type follows."""

import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in ['lbfexport']:
        if not content_type.objects.filter(app_label="lbf", model=model).exists():
            content_type.objects.filter(app_label="agreements", model=model).update(app_label="lbf")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('agreements', '0005_approvals_and_lbf_apps'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='LbfExport',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('plan_slugs', models.JSONField(blank=True, default=list, help_text='Tom: alle planer.', verbose_name='helhedsplaner')),
                        ('as_of', models.DateField(blank=True, null=True, verbose_name='gældende pr.')),
                        ('status', models.CharField(choices=[('venter', 'Venter'), ('koerer', 'I gang'), ('faerdig', 'Færdig'), ('fejlet', 'Fejlet'), ('udloebet', 'Udløbet')], default='venter', max_length=20, verbose_name='status')),
                        ('steps_done', models.PositiveIntegerField(default=0, verbose_name='trin udført')),
                        ('steps_total', models.PositiveIntegerField(default=0, verbose_name='trin i alt')),
                        ('current_step', models.CharField(blank=True, max_length=300, verbose_name='arbejder på')),
                        ('error', models.TextField(blank=True, verbose_name='fejl')),
                        ('file_name', models.CharField(blank=True, max_length=300, verbose_name='fil')),
                        ('file_size', models.PositiveBigIntegerField(default=0, verbose_name='filstørrelse (bytes)')),
                        ('task_id', models.CharField(blank=True, max_length=64, verbose_name='baggrundsopgave')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='bestilt')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='startet')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='færdig')),
                        ('expires_at', models.DateTimeField(blank=True, null=True, verbose_name='slettes')),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lbf_exports', to=settings.AUTH_USER_MODEL, verbose_name='bestilt af')),
                    ],
                    options={
                        'verbose_name': 'LBF-udtræk',
                        'verbose_name_plural': 'LBF-udtræk',
                        'db_table': 'agreements_lbfexport',
                        'ordering': ['-created_at'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
