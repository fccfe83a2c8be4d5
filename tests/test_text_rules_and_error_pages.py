"""Free text is bounded and free of control characters wherever it is written; error pages are Danish."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory
from django.views import defaults

from agreements.forms import ClauseForm
from helhedsplan.validators import DOCUMENT_TEXT_LIMIT, no_control_characters
from tests.factories.agreements import ActivityFactory, SubAgreementFactory


@pytest.mark.django_db
def test_a_pasted_megabyte_in_a_delaftale_text_is_refused_at_the_field():
    sub_agreement = SubAgreementFactory()
    sub_agreement.municipal_coherence = "x" * 1_000_000
    with pytest.raises(ValidationError) as error:
        sub_agreement.full_clean()
    assert error.value.message_dict["municipal_coherence"] == [
        f"Denne værdi må højst have {DOCUMENT_TEXT_LIMIT} tegn (den har 1000000)."]


@pytest.mark.django_db
def test_nul_in_a_name_is_refused_naming_the_position():
    activity = ActivityFactory()
    activity.name = "Lektie\x00café"
    with pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert error.value.message_dict["name"] == [
        "Teksten indeholder et usynligt styretegn (kode 00) ved tegn nr. 7. Fjern det (det kommer ofte med, når "
        "der kopieres fra et andet program), og prøv igen."]


@pytest.mark.django_db
def test_forms_refuse_too_long_text_and_control_characters():
    form = ClauseForm(data={"category": "konflikt", "title": "Titel\x07", "text": "x" * (DOCUMENT_TEXT_LIMIT + 1)})
    assert not form.is_valid()
    assert "styretegn" in form.errors["title"][0]
    assert "højst have" in form.errors["text"][0]


@pytest.mark.parametrize("text", ["Linje 1\nLinje 2\r\n\tindrykket", "Æblegården – »citat«", ""])
def test_ordinary_text_passes(text):
    no_control_characters(text)


@pytest.mark.django_db
@pytest.mark.parametrize("view, exception, status, heading", [
    (defaults.bad_request, Exception(), 400, "Forespørgslen kunne ikke behandles"),
    (defaults.permission_denied, PermissionDenied(), 403, "Ingen adgang"),
    (defaults.page_not_found, Http404(), 404, "Siden findes ikke"),
    (defaults.server_error, None, 500, "Der opstod en fejl"),
])
def test_error_pages_are_danish(view, exception, status, heading):
    request = RequestFactory().get("/planer/x/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = view(request) if exception is None else view(request, exception)
    assert response.status_code == status
    body = response.content.decode()
    assert f"<h1>{heading}</h1>" in body and 'lang="da"' in body and "Server Error" not in body


# Fields the software writes itself (hashes, keys, rendered e-mails, titles copied from a document); no
# person types into them, so they need no text rules.
WRITTEN_BY_THE_SOFTWARE = {
    "approvals.Approval.title", "approvals.Approval.content_hash", "approvals.Approval.approved_by_name",
    "approvals.Approval.html",
    "notifications.Notification.event_key", "notifications.Notification.url",
    "notifications.Notification.subject", "notifications.Notification.body_text",
    "notifications.Notification.body_html", "notifications.Notification.last_error",
    "documents.RenderedDocument.document", "documents.RenderedDocument.key", "documents.RenderedDocument.filename",
    "documents.RenderedDocument.error", "documents.RenderedDocument.task_id",
    "lbf.LbfExport.current_step", "lbf.LbfExport.error", "lbf.LbfExport.task_id",
    "agreements.Attachment.sha256",
}


def _free_text_fields():
    from django.apps import apps
    from django.db import models

    for model in apps.get_models():
        module = model.__module__
        if not module.startswith(("agreements.", "budgets.", "indicators.", "helhedsplan.")):
            continue
        if model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            if (not isinstance(field, (models.CharField, models.TextField)) or field.choices
                    or isinstance(field, (models.EmailField, models.URLField, models.SlugField))
                    or not field.editable):
                continue
            name = f"{model._meta.app_label}.{model.__name__}.{field.name}"
            if name not in WRITTEN_BY_THE_SOFTWARE:
                yield name, field


def test_every_free_text_field_refuses_control_characters_and_is_bounded():
    from django.db import models

    missing = []
    for name, field in _free_text_fields():
        if no_control_characters not in field.validators:
            missing.append(f"{name}: styretegn")
        if isinstance(field, models.TextField) and not field.max_length:
            missing.append(f"{name}: længde")
    assert missing == []


@pytest.mark.django_db
def test_a_meeting_referat_with_a_control_character_is_refused_and_nothing_changes(client):
    from helhedsplan.approvals.models import BoardMeeting
    from tests.factories.agreements import PlanFactory, PlanMembershipFactory, UserFactory

    plan = PlanFactory()
    user = UserFactory()
    PlanMembershipFactory(plan=plan, user=user, role="sekretariat")
    client.force_login(user)
    response = client.post(f"/planer/{plan.slug}/bestyrelsesmoeder/nyt/",
                           {"date": "2026-11-02", "place": "Fælleshuset", "referat": "Pkt. 4\x0b godkendt"})
    assert response.status_code == 200
    assert "styretegn" in response.content.decode()
    assert "Fælleshuset" in response.content.decode()
    assert not BoardMeeting.objects.exists()
