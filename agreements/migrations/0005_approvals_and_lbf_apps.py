"""Approval and LbfExport move to their own apps (state only, same tables); "godkendt" is derived, not
stored; organisations and contacts remember who created them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models




def approved_to_draft(apps, schema_editor):
    for name in ("StrategicAgreement", "SubAgreement"):
        apps.get_model("agreements", name).objects.filter(status="godkendt").update(status="kladde")


class Migration(migrations.Migration):

    dependencies = [
        ('agreements', '0004_revision'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveField(
            model_name='historicalstrategicagreement',
            name='lbf_approval_required',
        ),
        migrations.RemoveField(
            model_name='strategicagreement',
            name='lbf_approval_required',
        ),
        migrations.AddField(
            model_name='contact',
            name='created_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='oprettet af'),
        ),
        migrations.AddField(
            model_name='historicalcontact',
            name='created_by',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='oprettet af'),
        ),
        migrations.AddField(
            model_name='historicalorganisation',
            name='created_by',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='oprettet af'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='created_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='oprettet af'),
        ),
        # "Godkendt" is no longer stored: it is derived from the approval snapshots.
        migrations.RunPython(approved_to_draft, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='historicalstrategicagreement',
            name='status',
            field=models.CharField(choices=[('kladde', 'Kladde'), ('til_behandling', 'Til behandling i bestyrelsen')], default='kladde', max_length=20, verbose_name='sendt til bestyrelsen'),
        ),
        migrations.AlterField(
            model_name='historicalsubagreement',
            name='status',
            field=models.CharField(choices=[('kladde', 'Kladde'), ('til_behandling', 'Til behandling i bestyrelsen')], default='kladde', max_length=20, verbose_name='sendt til bestyrelsen'),
        ),
        migrations.AlterField(
            model_name='strategicagreement',
            name='status',
            field=models.CharField(choices=[('kladde', 'Kladde'), ('til_behandling', 'Til behandling i bestyrelsen')], default='kladde', max_length=20, verbose_name='sendt til bestyrelsen'),
        ),
        migrations.AlterField(
            model_name='subagreement',
            name='status',
            field=models.CharField(choices=[('kladde', 'Kladde'), ('til_behandling', 'Til behandling i bestyrelsen')], default='kladde', max_length=20, verbose_name='sendt til bestyrelsen'),
        ),
        # Approval and LbfExport moved to the approvals and lbf apps; their tables stay as they are.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='historicalapproval',
                    name='approved_by',
                ),
                migrations.RemoveField(
                    model_name='historicalapproval',
                    name='focus_area',
                ),
                migrations.RemoveField(
                    model_name='historicalapproval',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalapproval',
                    name='lbf_recorded_by',
                ),
                migrations.RemoveField(
                    model_name='historicalapproval',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='historicalapproval',
                    name='strategic_agreement',
                ),
                migrations.RemoveField(
                    model_name='historicalapproval',
                    name='sub_agreement',
                ),
                migrations.RemoveField(
                    model_name='lbfexport',
                    name='requested_by',
                ),
                migrations.DeleteModel(
                    name='Approval',
                ),
                migrations.DeleteModel(
                    name='HistoricalApproval',
                ),
                migrations.DeleteModel(
                    name='LbfExport',
                ),
            ],
            database_operations=[],
        ),
    ]
