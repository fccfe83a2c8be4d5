"""The model moves here from ``agreements`` with its table (state only); its content type follows."""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in ['approval', 'historicalapproval']:
        if not content_type.objects.filter(app_label="approvals", model=model).exists():
            content_type.objects.filter(app_label="agreements", model=model).update(app_label="approvals")


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
                    name='HistoricalApproval',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('delaftale', 'Delaftale'), ('samarbejdsaftale', 'Strategisk samarbejdsaftale')], max_length=20, verbose_name='dokument')),
                        ('number', models.PositiveIntegerField(verbose_name='godkendt version nr.')),
                        ('document_version', models.PositiveIntegerField(verbose_name='dokumentets versionsnummer ved godkendelsen')),
                        ('title', models.CharField(max_length=300, verbose_name='titel')),
                        ('meeting_date', models.DateField(verbose_name='dato for bestyrelsesmødet')),
                        ('referat', models.CharField(max_length=300, verbose_name='referat (reference)')),
                        ('approved_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='godkendelsesdato')),
                        ('approved_by_name', models.CharField(max_length=300, verbose_name='godkendt af (navn)')),
                        ('requires_lbf_approval', models.BooleanField(default=False, verbose_name='kræver LBF-godkendelse')),
                        ('lbf_approved_on', models.DateField(blank=True, null=True, verbose_name="LBF's godkendelsesdato")),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('approved_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='godkendt af')),
                        ('focus_area', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='agreements.focusarea', verbose_name='indsatsområde')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('lbf_recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='LBF-godkendelse registreret af')),
                        ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='agreements.plan', verbose_name='helhedsplan')),
                        ('strategic_agreement', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='agreements.strategicagreement', verbose_name='samarbejdsaftale')),
                        ('sub_agreement', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='agreements.subagreement', verbose_name='delaftale')),
                    ],
                    options={
                        'verbose_name': 'historical godkendelse',
                        'verbose_name_plural': 'historical godkendelser',
                        'db_table': 'agreements_historicalapproval',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Approval',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('delaftale', 'Delaftale'), ('samarbejdsaftale', 'Strategisk samarbejdsaftale')], max_length=20, verbose_name='dokument')),
                        ('number', models.PositiveIntegerField(verbose_name='godkendt version nr.')),
                        ('document_version', models.PositiveIntegerField(verbose_name='dokumentets versionsnummer ved godkendelsen')),
                        ('title', models.CharField(max_length=300, verbose_name='titel')),
                        ('data', models.JSONField(verbose_name='godkendt indhold (JSON)')),
                        ('meeting_date', models.DateField(verbose_name='dato for bestyrelsesmødet')),
                        ('referat', models.CharField(max_length=300, verbose_name='referat (reference)')),
                        ('approved_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='godkendelsesdato')),
                        ('approved_by_name', models.CharField(max_length=300, verbose_name='godkendt af (navn)')),
                        ('pdf', models.BinaryField(blank=True, null=True, verbose_name='PDF')),
                        ('requires_lbf_approval', models.BooleanField(default=False, verbose_name='kræver LBF-godkendelse')),
                        ('lbf_approved_on', models.DateField(blank=True, null=True, verbose_name="LBF's godkendelsesdato")),
                        ('approved_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='godkendt af')),
                        ('focus_area', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='approvals', to='agreements.focusarea', verbose_name='indsatsområde')),
                        ('lbf_recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='LBF-godkendelse registreret af')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='approvals', to='agreements.plan', verbose_name='helhedsplan')),
                        ('strategic_agreement', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='approvals', to='agreements.strategicagreement', verbose_name='samarbejdsaftale')),
                        ('sub_agreement', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='approvals', to='agreements.subagreement', verbose_name='delaftale')),
                    ],
                    options={
                        'verbose_name': 'godkendelse',
                        'verbose_name_plural': 'godkendelser',
                        'db_table': 'agreements_approval',
                        'ordering': ['plan', 'kind', 'focus_area', '-number'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('kind', 'delaftale')), fields=('plan', 'focus_area', 'number'), name='approval_unique_subagreement_number'), models.UniqueConstraint(condition=models.Q(('kind', 'samarbejdsaftale')), fields=('plan', 'number'), name='approval_unique_strategic_number'), models.CheckConstraint(condition=models.Q(models.Q(('focus_area__isnull', False), ('kind', 'delaftale')), models.Q(('focus_area__isnull', True), ('kind', 'samarbejdsaftale')), _connector='OR'), name='approval_kind_matches_document')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
