"""A finished export made when its ZIP was a local file under MEDIA_ROOT stays downloadable after the
move to the default storage: with local files it is the same file, with S3 it is copied into the bucket."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from agreements.permissions import LBF_GROUP
from helhedsplan.lbf.models import LbfExport
from tests.factories.agreements import UserFactory

BEFORE = ("lbf", "0002_one_unfinished_export_per_user")
ZIP = b"PK\x05\x06" + b"\x00" * 18  # an empty ZIP archive


@pytest.mark.django_db(transaction=True)
def test_existing_exports_keep_their_files(client, stored, media_root):
    user = UserFactory()  # an LBF consultant, who exported all plans
    user.groups.add(Group.objects.get_or_create(name=LBF_GROUP)[0])
    done, expired = uuid.uuid4(), uuid.uuid4()
    (media_root / "lbf-udtraek").mkdir(parents=True)
    (media_root / "lbf-udtraek" / f"{done}.zip").write_bytes(ZIP)
    try:
        call_command("migrate", *BEFORE, verbosity=0)
        old_model = MigrationExecutor(connection).loader.project_state(BEFORE).apps.get_model("lbf", "LbfExport")
        now = timezone.now()
        old_model.objects.create(id=done, requested_by_id=user.pk, status="faerdig", file_name=f"{done}.zip",
                                 file_size=len(ZIP), finished_at=now, expires_at=now + timezone.timedelta(days=7))
        old_model.objects.create(id=expired, requested_by_id=user.pk, status="udloebet", file_name="")
    finally:
        call_command("migrate", verbosity=0)

    export = LbfExport.objects.get(pk=done)
    assert export.file.name == f"lbf-udtraek/{done}.zip"
    assert stored.names("lbf-udtraek") == [export.file.name] and stored.read(export.file.name) == ZIP
    assert not LbfExport.objects.get(pk=expired).file

    client.force_login(user)
    response = client.get(reverse("agreements:lbf_export_download", kwargs={"pk": done}))
    assert response.status_code == (302 if stored.is_s3 else 200)
