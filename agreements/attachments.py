"""Attachments (bilag) of a plan: services and selectors.

An upload is checked by its content (``helhedsplan.uploads.check_attachment_file``: PNG or JPEG for an
organisationsdiagram, PDF for a bilag, within the size limits) before anything is stored; the file goes
to the default storage (local files or the S3 bucket) under a random name, with the SHA-256 of its bytes
on the row. A deleted attachment's file is removed once the deletion is committed.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Max
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from helhedsplan.storage import delete_unreferenced
from helhedsplan.uploads import check_attachment_file

from . import permissions
from .models import ATTACHMENT_DIR, Attachment, Plan, SubAgreement


class AttachmentUnavailable(LookupError):
    """The stored file is gone or is no longer the file that was uploaded (its SHA-256 differs)."""


def attachment_upload(*, plan: Plan, by: AbstractBaseUser, content: bytes, title: str,
                      kind: str = Attachment.Kind.APPENDIX, sub_agreement: SubAgreement | None = None,
                      file_name: str = "") -> Attachment:
    """Check and store an uploaded file as the last attachment of its kind. ``ImportRefused`` (a
    ``ValidationError`` with a Danish message) for a file that is not an accepted one; ``ValidationError``
    for a title or kind that does not fit; nothing is stored then."""
    permissions.require(by, permissions.ADD_ATTACHMENT, plan)
    facts = check_attachment_file(content)
    with transaction.atomic():
        last = Attachment.objects.filter(plan=plan, kind=kind).aggregate(last=Max("order"))["last"]
        attachment = Attachment(
            plan=plan, sub_agreement=sub_agreement, kind=kind, title=title.strip(), file_name=file_name[:255],
            content_type=facts.content_type, size=facts.size, sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=by if by.is_authenticated else None, order=(last or 0) + 1,
        )
        attachment.full_clean(exclude=["file"])
        _delete_abandoned_files(plan)
        attachment.file.save(file_name or "bilag", ContentFile(content), save=False)
        try:
            attachment.save()
        except BaseException:
            attachment.file.storage.delete(attachment.file.name)
            raise
    return attachment


# A file whose row never came to be (a transaction around the upload rolled back) is removed by a later
# upload to the same plan once it is this old (a younger one may belong to a row about to be committed).
ABANDONED_AFTER = timedelta(days=1)


def _delete_abandoned_files(plan: Plan) -> None:
    kept = set(Attachment.objects.filter(plan=plan).values_list("file", flat=True))
    delete_unreferenced(f"{ATTACHMENT_DIR}/{plan.pk}", keep=kept, older_than=timezone.now() - ABANDONED_AFTER,
                        storage=attachment_storage())


def attachment_storage() -> Storage:
    """The storage the attachments are in (the default storage)."""
    return Attachment._meta.get_field("file").storage


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by: AbstractBaseUser) -> None:
    """Delete the attachment; its file goes once the deletion is committed."""
    permissions.require(by, permissions.DELETE_ATTACHMENT, attachment.plan)
    attachment.delete()


@receiver(post_delete, sender=Attachment, dispatch_uid="attachment-file")
def _delete_file(sender, instance: Attachment, **kwargs) -> None:
    """A deleted attachment's file goes too (also when its plan or delaftale is deleted), after the commit."""
    if instance.file and instance.file.name:
        transaction.on_commit(partial(instance.file.storage.delete, instance.file.name))


def attachment_read(attachment: Attachment) -> bytes:
    """The stored bytes, exactly as uploaded (``AttachmentUnavailable`` otherwise)."""
    try:
        with attachment.file.storage.open(attachment.file.name, "rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError) as exc:
        raise AttachmentUnavailable(f"Bilaget »{attachment.title}« findes ikke i lageret.") from exc
    if hashlib.sha256(content).hexdigest() != attachment.sha256:
        raise AttachmentUnavailable(f"Bilaget »{attachment.title}« i lageret er ikke den fil, der blev uploadet.")
    return content


# --- Selectors ------------------------------------------------------------------------------------------

def plan_attachments(plan: Plan) -> list[Attachment]:
    """Every attachment of the plan: the organisationsdiagrammer first, then the bilag of the plan and those
    of the delaftaler, each in their order (one query)."""
    return list(Attachment.objects.filter(plan=plan).select_related("sub_agreement__focus_area", "uploaded_by")
                .order_by("-kind", "sub_agreement_id", "order", "id"))


def organisation_diagrams(plan: Plan) -> list[Attachment]:
    return list(Attachment.objects.filter(plan=plan, kind=Attachment.Kind.ORGANISATION_DIAGRAM,
                                          sub_agreement__isnull=True).order_by("order", "id"))
