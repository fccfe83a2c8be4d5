import pytest
from django.contrib import admin
from django.urls import reverse

from agreements.models import Activity, Comment, HousingDepartment
from helhedsplan.approvals.models import Approval
from tests.demo import without_demo
from tests.factories import budgets as budget_factories
from tests.factories import indicators as indicator_factories
from tests.factories.agreements import (
    ActivityFactory,
    AgreementPartyFactory,
    ClauseFactory,
    ContactFactory,
    HousingAreaFactory,
    LbfExportFactory,
    MilestoneFactory,
    PlanMembershipFactory,
    StaffResourceFactory,
    SubAgreementPartyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_of_everything():
    activity = ActivityFactory()
    sub_agreement = activity.sub_agreement
    plan = sub_agreement.plan
    area = HousingAreaFactory(plan=plan)
    contact = ContactFactory()
    HousingDepartment.objects.create(housing_area=area, organisation=contact.organisation, number="12")
    activity.housing_areas.add(area)
    activity.contacts.add(contact)
    SubAgreementPartyFactory(sub_agreement=sub_agreement, organisation=contact.organisation, contacts=[contact])
    StaffResourceFactory(sub_agreement=sub_agreement)
    AgreementPartyFactory(agreement__plan=plan)
    ClauseFactory()
    PlanMembershipFactory(plan=plan)
    approver = PlanMembershipFactory(plan=plan, role="bestyrelse").user
    Approval.objects.create(plan=plan, kind=Approval.Kind.SUBAGREEMENT, sub_agreement=sub_agreement,
                            focus_area=sub_agreement.focus_area, number=1, document_version=1,
                            title=str(sub_agreement), data={"name": "x"}, meeting_date=plan.start_date,
                            referat="Referat 1", approved_by=approver, approved_by_name="Bent")
    Comment.objects.create(plan=plan, sub_agreement=sub_agreement, author=approver, text="Fint.")
    MilestoneFactory(plan=plan)
    LbfExportFactory(requested_by=approver, plan_slugs=[plan.slug])
    budget_factories.one_of_everything(plan=plan)
    indicator_factories.one_of_everything(plan=plan, sub_agreement=sub_agreement)
    return plan


def _admin_models():
    return [model for model in admin.site._registry if model._meta.app_label in {
        "agreements", "budgets", "indicators"}]


def test_every_changelist_add_change_and_history_page_renders(client, staff_user, one_of_everything):
    client.force_login(staff_user)
    models = _admin_models()
    assert len(models) >= 15
    for model in models:
        info = (model._meta.app_label, model._meta.model_name)
        response = client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert response.status_code == 200, model
        response = client.get(reverse("admin:{}_{}_changelist".format(*info)), {"q": "a"})
        assert response.status_code == 200, model
        response = client.get(reverse("admin:{}_{}_add".format(*info)))
        can_add = admin.site._registry[model].has_add_permission(response.wsgi_request)
        assert response.status_code == (200 if can_add else 403), model
        # The fixture's own object; reference data (puljer, udgiftstyper) is the demo data's.
        instance = without_demo(model).first() or model.objects.first()
        assert instance is not None, f"no {model.__name__} to open"
        response = client.get(reverse("admin:{}_{}_change".format(*info), args=[instance.pk]))
        assert response.status_code == 200, model
        response = client.get(reverse("admin:{}_{}_history".format(*info), args=[instance.pk]))
        assert response.status_code == 200, model


def test_admin_edit_records_history_with_the_user(client, staff_user):
    activity = ActivityFactory(name="Lektiecafé")
    client.force_login(staff_user)
    url = reverse("admin:agreements_activity_change", args=[activity.pk])
    response = client.post(url, {
        "sub_agreement": activity.sub_agreement.pk, "name": "Lektiecafé for store børn",
        "purpose": activity.purpose, "target_group": activity.target_group, "content": activity.content,
        "anchoring": "", "responsibilities": activity.responsibilities, "locations": "", "order": 1,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    activity.refresh_from_db()
    assert activity.name == "Lektiecafé for store børn"
    latest = activity.history.first()
    assert latest.history_user == staff_user
    assert latest.history_type == "~"
    delta = latest.diff_against(latest.prev_record)
    assert "name" in delta.changed_fields


def test_admin_rejects_second_subagreement_with_danish_message(client, staff_user):
    activity = ActivityFactory()
    sub_agreement = activity.sub_agreement
    client.force_login(staff_user)
    response = client.post(reverse("admin:agreements_subagreement_add"), {
        "plan": sub_agreement.plan.pk, "focus_area": sub_agreement.focus_area.pk,
        "start_date": "01.01.2022", "end_date": "31.12.2025", "order": 0,
        "parties-TOTAL_FORMS": 0, "parties-INITIAL_FORMS": 0,
        "activities-TOTAL_FORMS": 0, "activities-INITIAL_FORMS": 0,
        "staff_resources-TOTAL_FORMS": 0, "staff_resources-INITIAL_FORMS": 0,
    })
    assert response.status_code == 200
    assert "Der findes allerede en delaftale for dette indsatsområde" in response.content.decode()
    assert without_demo(Activity).count() == 1


def test_approvals_are_read_only_in_the_admin(client, staff_user, one_of_everything):
    approval = without_demo(Approval).get()
    client.force_login(staff_user)
    url = reverse("admin:approvals_approval_change", args=[approval.pk])
    response = client.post(url, {"title": "Ændret", "referat": "Andet"})
    assert response.status_code == 403
    delete_url = reverse("admin:approvals_approval_delete", args=[approval.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    approval.refresh_from_db()
    assert approval.title != "Ændret" and without_demo(Approval).count() == 1
