"""Bilag: what an upload accepts and refuses (by content, with a Danish message, storing nothing), who may
upload, download and delete, and the files in the storage."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.attachments import attachment_read, attachment_storage
from agreements.models import Attachment
from tests import attachment_files as files

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def stored_names(plan) -> list[str]:
    try:
        return attachment_storage().listdir(f"bilag/{plan.pk}")[1]
    except FileNotFoundError:
        return []


def upload(client, plan, content: bytes, name: str, *, kind: str = "bilag", title: str = "Kommissorium",
           content_type: str = "application/pdf", sub_agreement=None):
    data = {"kind": kind, "title": title, "file": SimpleUploadedFile(name, content, content_type=content_type)}
    if sub_agreement is not None:
        data["sub_agreement"] = sub_agreement.pk
    return client.post(reverse("agreements:attachment_list", kwargs={"slug": plan.slug}), data)


ACCEPTED = [
    ("organisationsdiagram", "diagram.png", files.png, "image/png"),
    ("organisationsdiagram", "diagram.jpg", files.jpeg, "image/jpeg"),
    ("bilag", "kommissorium.pdf", files.pdf, "application/pdf"),
]


@pytest.mark.parametrize(("kind", "name", "make", "content_type"), ACCEPTED)
def test_png_jpeg_and_pdf_are_stored_with_their_digest(client, ws, kind, name, make, content_type):
    client.force_login(ws.secretary)
    content = make()

    response = upload(client, ws.plan, content, name, kind=kind, title="Organisering 2024")

    assert response.status_code == 302
    attachment = Attachment.objects.get(plan=ws.plan)
    assert (attachment.kind, attachment.content_type, attachment.size) == (kind, content_type, len(content))
    assert attachment.uploaded_by == ws.secretary
    assert attachment.file.name.startswith(f"bilag/{ws.plan.pk}/") and name not in attachment.file.name
    assert attachment_read(attachment) == content
    assert attachment.history.count() == 1


REFUSED = [
    # (what, kind, file name, browser's content type, content, the Danish message)
    ("a picture named .pdf as a bilag", "bilag", "kommissorium.pdf", "application/pdf", files.png,
     "Et bilag skal være en PDF-fil"),
    ("text named .png", "organisationsdiagram", "diagram.png", "image/png", lambda: b"Ikke et billede\n" * 20,
     "Filen skal være et billede (PNG eller JPEG) eller en PDF-fil."),
    ("a PDF as organisationsdiagram", "organisationsdiagram", "diagram.png", "image/png", files.pdf,
     "Et organisationsdiagram skal være et billede (PNG eller JPEG)."),
    ("over 10 MB", "bilag", "stor.pdf", "application/pdf", lambda: files.pdf(1) + b"\n%" + b"0" * (10 * MB),
     "Filen er for stor: højst 10 MB (filen fylder 11 MB)."),
    ("a damaged PDF", "bilag", "beskadiget.pdf", "application/pdf", files.damaged_pdf,
     "PDF-filen kan ikke læses: den er beskadiget."),
    ("an encrypted PDF", "bilag", "hemmelig.pdf", "application/pdf", lambda: files.pdf(password="hemmelig"),
     "PDF-filen er krypteret eller beskyttet med adgangskode."),
    ("a GIF", "organisationsdiagram", "diagram.gif", "image/gif", files.gif,
     "Filen skal være et billede (PNG eller JPEG) eller en PDF-fil."),
    ("a decompression bomb", "organisationsdiagram", "diagram.png", "image/png", files.decompression_bomb,
     "Billedet er for stort: højst 40.000.000 billedpunkter"),
    ("a truncated PNG", "organisationsdiagram", "diagram.png", "image/png", lambda: files.png()[:-30],
     "Billedet kan ikke læses: filen er beskadiget."),
    ("a truncated JPEG", "organisationsdiagram", "diagram.jpg", "image/jpeg",
     lambda: files.jpeg(800, 600)[:2000], "Billedet kan ikke læses: filen er beskadiget."),
]


@pytest.mark.parametrize(("what", "kind", "name", "content_type", "make", "message"), REFUSED,
                         ids=[row[0] for row in REFUSED])
def test_a_refused_upload_says_why_in_danish_and_stores_nothing(client, ws, what, kind, name, content_type, make,
                                                               message):
    client.force_login(ws.secretary)

    response = upload(client, ws.plan, make(), name, kind=kind, content_type=content_type)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attachment.objects.filter(plan=ws.plan).exists()
    assert stored_names(ws.plan) == []


def test_an_organisationsdiagram_belongs_to_the_whole_plan(client, ws):
    client.force_login(ws.secretary)

    response = upload(client, ws.plan, files.png(), "d.png", kind="organisationsdiagram",
                      sub_agreement=ws.sub_agreement)

    assert response.status_code == 400
    assert "Organisationsdiagrammet hører til samarbejdsaftalens afsnit 3" in response.content.decode()
    assert stored_names(ws.plan) == []


def test_a_bilag_can_belong_to_a_delaftale(client, ws):
    client.force_login(ws.secretary)
    upload(client, ws.plan, files.pdf(), "k.pdf", title="Samarbejdsaftale med skolen", sub_agreement=ws.sub_agreement)

    page = client.get(reverse("agreements:attachment_list", kwargs={"slug": ws.plan.slug})).content.decode()

    assert Attachment.objects.get(plan=ws.plan).sub_agreement == ws.sub_agreement
    assert "Samarbejdsaftale med skolen" in page and ws.sub_agreement.focus_area.name in page


# --- Who may do what ----------------------------------------------------------------------------------------

def download_url(attachment) -> str:
    return reverse("agreements:attachment_download", kwargs={"slug": attachment.plan.slug, "pk": attachment.pk})


def delete_url(attachment) -> str:
    return reverse("agreements:attachment_delete", kwargs={"slug": attachment.plan.slug, "pk": attachment.pk})


@pytest.mark.parametrize("who", ["secretary", "board", "lbf", "admin"])
def test_everybody_who_sees_the_plan_lists_and_downloads(client, ws, who):
    content = files.pdf(3)
    attachment = files.attach(ws.plan, ws.secretary, content=content)
    client.force_login(getattr(ws, who))

    page = client.get(reverse("agreements:attachment_list", kwargs={"slug": ws.plan.slug}))
    response = client.get(download_url(attachment))

    assert page.status_code == 200 and "Kommissorium for bestyrelsen" in page.content.decode()
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Kommissorium for bestyrelsen.pdf"'
    assert response["Cache-Control"] == "private, no-store"


def test_an_organisationsdiagram_is_shown_inline(client, ws):
    content = files.png()
    attachment = files.attach(ws.plan, ws.secretary, content=content, kind="organisationsdiagram",
                              title="Organisationsdiagram")
    client.force_login(ws.board)

    response = client.get(download_url(attachment))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert b"".join(response.streaming_content) == content


def test_a_non_member_gets_404_for_the_list_the_file_and_deleting(client, ws):
    attachment = files.attach(ws.plan, ws.secretary)
    client.force_login(ws.outsider)

    assert client.get(reverse("agreements:attachment_list", kwargs={"slug": ws.plan.slug})).status_code == 404
    assert client.get(download_url(attachment)).status_code == 404
    assert client.post(delete_url(attachment)).status_code == 404
    # nor through their own plan's URL
    other = reverse("agreements:attachment_download", kwargs={"slug": ws.other_plan.slug, "pk": attachment.pk})
    assert client.get(other).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_access_is_checked_at_the_moment_of_the_download(client, ws):
    attachment = files.attach(ws.plan, ws.secretary)
    client.force_login(ws.board)
    assert client.get(download_url(attachment)).status_code == 200

    ws.plan.memberships.filter(user=ws.board).delete()

    assert client.get(download_url(attachment)).status_code == 404


@pytest.mark.parametrize("who", ["board", "lbf"])
def test_bestyrelse_and_lbf_can_neither_upload_nor_delete(client, ws, who):
    attachment = files.attach(ws.plan, ws.secretary)
    client.force_login(getattr(ws, who))

    page = client.get(reverse("agreements:attachment_list", kwargs={"slug": ws.plan.slug})).content.decode()
    uploaded = upload(client, ws.plan, files.pdf(), "k.pdf")
    deleted = client.post(delete_url(attachment))

    assert "Tilføj bilag" not in page and "Slet" not in page
    assert uploaded.status_code == 403 and deleted.status_code == 403
    assert list(Attachment.objects.filter(plan=ws.plan)) == [attachment]


def test_the_secretariat_deletes_and_the_file_goes_after_the_commit(client, ws, django_capture_on_commit_callbacks):
    attachment = files.attach(ws.plan, ws.secretary)
    assert len(stored_names(ws.plan)) == 1
    client.force_login(ws.secretary)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url(attachment))

    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert stored_names(ws.plan) == []
    assert attachment.history.latest().history_type == "-"


def test_attachments_live_in_the_s3_bucket_and_go_with_their_row(client, ws, s3_storage,
                                                                 django_capture_on_commit_callbacks):
    """Upload, download (a PDF by a presigned URL, a picture streamed by the app) and delete, with the real
    SeaweedFS bucket as the default storage."""
    import urllib.request

    client.force_login(ws.secretary)
    content, picture = files.pdf(2), files.png()
    upload(client, ws.plan, content, "k.pdf")
    upload(client, ws.plan, picture, "d.png", kind="organisationsdiagram", title="Diagram", content_type="image/png")
    bilag = Attachment.objects.get(plan=ws.plan, kind="bilag")
    diagram = Attachment.objects.get(plan=ws.plan, kind="organisationsdiagram")

    listed = s3_storage.client().list_objects_v2(Bucket=s3_storage.bucket, Prefix=f"bilag/{ws.plan.pk}/")
    assert sorted(item["Key"] for item in listed["Contents"]) == sorted([bilag.file.name, diagram.file.name])
    assert attachment_read(bilag) == content

    client.force_login(ws.board)
    response = client.get(download_url(bilag))
    assert response.status_code == 302 and response["Location"].startswith(s3_storage.endpoint_url)
    with urllib.request.urlopen(response["Location"], timeout=10) as fetched:
        assert fetched.read() == content
    shown = client.get(download_url(diagram))
    assert shown.status_code == 200 and b"".join(shown.streaming_content) == picture

    client.force_login(ws.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(delete_url(bilag))
    listed = s3_storage.client().list_objects_v2(Bucket=s3_storage.bucket, Prefix=f"bilag/{ws.plan.pk}/")
    assert [item["Key"] for item in listed["Contents"]] == [diagram.file.name]
