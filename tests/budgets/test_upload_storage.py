"""An uploaded budgetark waits for its confirmation in the default storage (local files or the S3
bucket, so any app server can show the preview and take the confirmation): it is there from the upload
until the confirmation or cancellation, and what is saved is exactly the file that was previewed. Every
test runs on both backends; on S3 against the real SeaweedFS server."""

from __future__ import annotations

import hashlib
import os
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from agreements.models import PlanMembership
from budgets import services
from budgets.models import PENDING_UPLOAD_DIR, PendingBudgetImport
from budgets.selectors import budget_content
from tests.factories.agreements import PlanMembershipFactory

from .test_views import upload_file
from .workbooks import exported_workbook, row_of, to_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(small_plan):
    return PlanMembershipFactory(plan=small_plan, role=PlanMembership.Role.SECRETARIAT).user


def url(name, plan, *args):
    return reverse(f"budgets:{name}", args=[plan.slug, *args])


def renamed(plan, old: str, new: str) -> bytes:
    """The plan's budgetark with one line renamed."""
    workbook = exported_workbook(plan)
    ws = workbook["Budgetark"]
    ws.cell(row_of(ws, old), 1).value = new
    return to_bytes(workbook)


def line_names(plan) -> list[str]:
    return [line.name for line in budget_content(plan).lines]


def upload(client, plan, data: bytes, callbacks, name: str = "Budget 2024 – rettet.xlsx") -> PendingBudgetImport:
    with callbacks(execute=True):
        response = client.post(url("upload", plan), {"file": upload_file(data, name)})
    assert response.status_code == 302
    return PendingBudgetImport.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def fingerprint(client, plan, pending) -> str:
    response = client.get(url("preview", plan, pending.pk))
    assert response.status_code == 200
    return response.context["fingerprint"]


def test_the_upload_is_in_the_storage_until_confirmed(client, secretariat, small_plan, stored,
                                                      django_capture_on_commit_callbacks):
    client.force_login(secretariat)
    data = renamed(small_plan, "Fritidsjob", "Fritidsjob for alle")
    pending = upload(client, small_plan, data, django_capture_on_commit_callbacks)

    assert stored.names(PENDING_UPLOAD_DIR) == [pending.file.name]
    assert stored.read(pending.file.name) == data
    assert "Budget" not in pending.file.name and pending.file_name == "Budget 2024 – rettet.xlsx"
    assert pending.sha256 == hashlib.sha256(data).hexdigest()

    preview = client.get(url("preview", small_plan, pending.pk))
    assert "Fritidsjob for alle" in preview.content.decode()
    assert "Fritidsjob for alle" not in line_names(small_plan)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url("preview", small_plan, pending.pk),
                           {"confirm": "1", "fingerprint": preview.context["fingerprint"]})
    assert done.status_code == 302 and done["Location"] == url("sheet", small_plan)
    assert "Fritidsjob for alle" in line_names(small_plan)
    assert not PendingBudgetImport.objects.exists() and stored.names(PENDING_UPLOAD_DIR) == []


def test_cancelling_deletes_the_file(client, secretariat, small_plan, stored, django_capture_on_commit_callbacks):
    client.force_login(secretariat)
    before = budget_content(small_plan)
    pending = upload(client, small_plan, renamed(small_plan, "Fritidsjob", "Sommerjob"),
                     django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("preview", small_plan, pending.pk), {"cancel": "1"})
    assert response.status_code == 302
    assert not PendingBudgetImport.objects.exists() and stored.names(PENDING_UPLOAD_DIR) == []
    assert budget_content(small_plan) == before


def test_a_new_upload_replaces_the_earlier_one_and_its_file(client, secretariat, small_plan, stored,
                                                            django_capture_on_commit_callbacks):
    client.force_login(secretariat)
    first = upload(client, small_plan, renamed(small_plan, "Fritidsjob", "Første udgave"),
                   django_capture_on_commit_callbacks)
    second_data = renamed(small_plan, "Fritidsjob", "Anden udgave")
    second = upload(client, small_plan, second_data, django_capture_on_commit_callbacks)
    assert list(PendingBudgetImport.objects.values_list("pk", flat=True)) == [second.pk]
    assert stored.names(PENDING_UPLOAD_DIR) == [second.file.name] != [first.file.name]
    assert client.get(url("preview", small_plan, first.pk)).status_code == 404


def test_confirmation_imports_exactly_the_previewed_bytes(client, secretariat, small_plan, stored,
                                                          django_capture_on_commit_callbacks):
    """Two members each preview their own file; each confirmation saves that member's file. A file
    replaced in the storage after the preview is refused, and nothing is saved."""
    colleague = PlanMembershipFactory(plan=small_plan, role=PlanMembership.Role.SECRETARIAT).user
    client.force_login(secretariat)
    mine = upload(client, small_plan, renamed(small_plan, "Fritidsjob", "Min udgave"),
                  django_capture_on_commit_callbacks)
    client.force_login(colleague)
    theirs = upload(client, small_plan, renamed(small_plan, "Fritidsjob", "Kollegaens udgave"),
                    django_capture_on_commit_callbacks)
    assert mine.file.name != theirs.file.name

    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("preview", small_plan, mine.pk),
                    {"confirm": "1", "fingerprint": fingerprint(client, small_plan, mine)})
    assert "Min udgave" in line_names(small_plan) and "Kollegaens udgave" not in line_names(small_plan)

    client.force_login(colleague)
    token = fingerprint(client, small_plan, theirs)
    stored.write(theirs.file.name, renamed(small_plan, "Min udgave", "Udskiftet i lageret"))
    before = budget_content(small_plan)
    refused = client.post(url("preview", small_plan, theirs.pk), {"confirm": "1", "fingerprint": token})
    assert refused.status_code == 400
    assert "findes ikke længere (eller er ændret" in refused.content.decode()
    assert budget_content(small_plan) == before
    assert client.get(url("preview", small_plan, theirs.pk)).status_code == 400


def test_a_file_gone_from_the_storage_is_reported_not_imported(client, secretariat, small_plan, stored,
                                                               django_capture_on_commit_callbacks):
    client.force_login(secretariat)
    pending = upload(client, small_plan, renamed(small_plan, "Fritidsjob", "Sommerjob"),
                     django_capture_on_commit_callbacks)
    token = fingerprint(client, small_plan, pending)
    stored.remove(pending.file.name)
    before = budget_content(small_plan)
    preview = client.get(url("preview", small_plan, pending.pk))
    assert preview.status_code == 400 and "Indlæs filen igen" in preview.content.decode()
    response = client.post(url("preview", small_plan, pending.pk), {"confirm": "1", "fingerprint": token})
    assert response.status_code == 400 and budget_content(small_plan) == before


def test_uploads_left_for_a_day_go_with_their_files(client, secretariat, small_plan, stored,
                                                    django_capture_on_commit_callbacks):
    client.force_login(secretariat)
    stale = upload(client, small_plan, renamed(small_plan, "Fritidsjob", "Gammel"),
                   django_capture_on_commit_callbacks)
    PendingBudgetImport.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    unrecorded = default_storage.save(f"{PENDING_UPLOAD_DIR}/uden-raekke.xlsx", ContentFile(b"PK"))

    other = PlanMembershipFactory(role=PlanMembership.Role.SECRETARIAT)  # anybody's next upload tidies up
    with django_capture_on_commit_callbacks(execute=True):
        services.budget_upload_stage(plan=small_plan, user=other.user, data=renamed(small_plan, "Fritidsjob", "Ny"),
                                     file_name="ny.xlsx")
    fresh = PendingBudgetImport.objects.get()
    assert fresh.user == other.user
    # A file without a row may belong to an upload about to be committed: it stays until it is a day old.
    assert stored.names(PENDING_UPLOAD_DIR) == sorted([fresh.file.name, unrecorded])


def test_a_file_without_a_row_goes_once_it_is_a_day_old(small_plan, secretariat, media_root,
                                                        django_capture_on_commit_callbacks):
    """Local files only: a file's age cannot be set back in the bucket."""
    abandoned = default_storage.save(f"{PENDING_UPLOAD_DIR}/afbrudt.xlsx", ContentFile(b"PK"))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(media_root / abandoned, (two_days_ago, two_days_ago))
    with django_capture_on_commit_callbacks(execute=True):
        pending = services.budget_upload_stage(plan=small_plan, user=secretariat,
                                               data=renamed(small_plan, "Fritidsjob", "Ny"), file_name="ny.xlsx")
    assert not (media_root / abandoned).exists() and (media_root / pending.file.name).exists()
