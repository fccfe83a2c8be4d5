"""Preview pages and PDF downloads: members only, same content in both."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import worker
from tests.documents.helpers import pdf_pages
from tests.factories.agreements import ActivityFactory, PlanMembershipFactory

pytestmark = pytest.mark.django_db


def document_urls(plan, sub):
    slug, area = plan.slug, sub.focus_area.slug
    return {
        "samarbejdsaftale": (reverse("documents:samarbejdsaftale", args=[slug]),
                             reverse("documents:samarbejdsaftale_pdf", args=[slug])),
        "delaftale": (reverse("documents:delaftale", args=[slug, area]),
                      reverse("documents:delaftale_pdf", args=[slug, area])),
        "budget": (reverse("documents:budget", args=[slug]), reverse("documents:budget_pdf", args=[slug])),
        "samlet": (reverse("documents:samlet", args=[slug]), reverse("documents:samlet_pdf", args=[slug])),
    }


def test_member_sees_preview_and_downloads_pdf(client, plan_with_delaftale):
    plan, sub = plan_with_delaftale
    client.force_login(PlanMembershipFactory(plan=plan).user)
    expected = {
        "samarbejdsaftale": "Et trygt boligområde for alle.",
        "delaftale": "Skoleparathed for førskolebørn.",
        "budget": "Budgettet er ikke udfyldt endnu.",
        "samlet": "HippHopp+",
    }
    for kind, (preview_url, pdf_url) in document_urls(plan, sub).items():
        preview = client.get(preview_url)
        assert preview.status_code == 200, kind
        body = preview.content.decode()
        assert expected[kind] in body
        assert f'href="{pdf_url}"' in body  # the preview's own download button
        assert "/static/documents/print.css" in body  # the same print stylesheet as the PDF

        download = worker.download(client, pdf_url)
        assert download.status_code == 200, kind
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"].startswith(f'attachment; filename="{plan.slug}-')
        body = worker.content(download)
        assert body.startswith(b"%PDF")
        assert expected[kind] in " ".join(pdf_pages(body))


def test_non_members_get_404_and_anonymous_users_go_to_login(client, plan_with_delaftale):
    plan, sub = plan_with_delaftale
    outsider = PlanMembershipFactory().user
    client.force_login(outsider)
    urls = [url for pair in document_urls(plan, sub).values() for url in pair]
    for url in urls:
        assert client.get(url).status_code == 404, url
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_unknown_delaftale_is_404(client, plan_with_delaftale):
    plan, _ = plan_with_delaftale
    client.force_login(PlanMembershipFactory(plan=plan).user)
    assert client.get(reverse("documents:delaftale", args=[plan.slug, "findes-ikke"])).status_code == 404
    assert client.get(reverse("documents:delaftale_pdf", args=[plan.slug, "findes-ikke"])).status_code == 404


def test_plan_and_delaftale_pages_offer_the_documents(client, plan_with_delaftale):
    plan, sub = plan_with_delaftale
    client.force_login(PlanMembershipFactory(plan=plan).user)
    urls = document_urls(plan, sub)
    plan_page = client.get(plan.get_absolute_url()).content.decode()
    for kind in ("samarbejdsaftale", "budget", "samlet"):
        assert f'href="{urls[kind][0]}"' in plan_page and f'href="{urls[kind][1]}"' in plan_page
    sub_page = client.get(sub.get_absolute_url()).content.decode()
    assert f'href="{urls["delaftale"][0]}"' in sub_page and f'href="{urls["delaftale"][1]}"' in sub_page


def test_a_pdf_is_rendered_once_per_revision_and_again_after_a_change(client, plan_with_delaftale):
    plan, sub = plan_with_delaftale
    client.force_login(PlanMembershipFactory(plan=plan).user)
    url = reverse("documents:delaftale_pdf", args=[plan.slug, sub.focus_area.slug])
    first = worker.download(client, url)
    first_pdf = worker.content(first)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert worker.content(again) == first_pdf
    assert again["Content-Disposition"] == first["Content-Disposition"]
    # Only the session, the user, the plan (with access), the revision tokens and the rendered file's row.
    assert len(queries) <= 5, [q["sql"] for q in queries.captured_queries]
    assert worker.queued() == 0

    ActivityFactory(sub_agreement=sub, name="Værested for unge")
    changed = worker.download(client, url)
    assert "Værested for unge" in " ".join(pdf_pages(worker.content(changed)))
    assert "Værested for unge" not in " ".join(pdf_pages(first_pdf))


def test_a_rendered_pdf_still_checks_access(client, plan_with_delaftale):
    plan, sub = plan_with_delaftale
    url = reverse("documents:samlet_pdf", args=[plan.slug])
    client.force_login(PlanMembershipFactory(plan=plan).user)
    assert worker.download(client, url).status_code == 200
    client.force_login(PlanMembershipFactory().user)
    assert client.get(url).status_code == 404
