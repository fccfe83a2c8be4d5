"""Who may see and do what: a sweep over every plan-scoped URL, and the role matrix."""

import uuid
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agreements import permissions, selectors, services
from agreements.models import Activity, Clause, Milestone, PlanMembership
from agreements.permissions import plans_visible_to
from helhedsplan.approvals import services as workflow
from helhedsplan.approvals.models import Approval
from tests.attachment_files import attach
from tests.demo import without_demo
from tests.factories.agreements import ContactFactory, PlanMembershipFactory, UserFactory

SECRET_TEXTS = ["Tryg Toften", "Lektiecafé Toften", "Bestyrelsen reviderer delaftalen årligt."]

# URLs that change a plan's documents: the secretariat's (and administrators') alone.
EDIT_URLS = {
    "agreements:subagreement_new", "agreements:subagreement_edit", "agreements:activity_new",
    "agreements:activity_edit", "agreements:activity_restore", "agreements:subagreement_submit",
    "agreements:strategic_edit", "agreements:strategic_submit", "agreements:strategic_lbf_approval",
    "agreements:milestone_new", "agreements:milestone_edit", "agreements:milestone_delete",
    "agreements:public_settings", "agreements:meeting_new", "agreements:meeting_edit",
    "agreements:attachment_delete",
}
APPROVE_URLS = {"agreements:subagreement_approve", "agreements:strategic_approve", "agreements:meeting_approve"}
COMMENT_URLS = {"agreements:plan_comment", "agreements:subagreement_comment", "agreements:subagreement_return",
                "agreements:strategic_return"}
POST_ONLY = {"agreements:activity_restore", "agreements:subagreement_submit", "agreements:subagreement_return",
             "agreements:subagreement_approve", "agreements:strategic_submit", "agreements:strategic_return",
             "agreements:strategic_approve", "agreements:strategic_lbf_approval", "agreements:plan_comment",
             "agreements:subagreement_comment", "agreements:plan_export", "agreements:milestone_delete",
             "agreements:meeting_approve", "agreements:attachment_delete"}
# POST-only actions every reader of the plan may take (an export changes nothing in the plan).
READER_POSTS = {"agreements:plan_export"}
# The public page needs no login; a plan that has not opted in answers 404 to everybody.
PUBLIC_URLS = {"agreements:public_plan"}


def _walk(patterns, namespace="", converters=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "admin":
                continue
            yield from _walk(pattern.url_patterns, inner, {**(converters or {}), **pattern.pattern.converters})
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", {**(converters or {}), **pattern.pattern.converters}


def plan_scoped_url_names() -> list[tuple[str, dict]]:
    """Every named URL of the project that takes a plan slug — including other apps' pages,
    downloads and exports once they are merged — with its converters."""
    return sorted(((name, converters) for name, converters in _walk(get_resolver().url_patterns)
                   if "slug" in converters), key=lambda item: item[0])


def _value_for(converter):
    """A well-formed value for a URL argument the sweep has no specific value for."""
    name = type(converter).__name__
    if name == "UUIDConverter":
        return uuid.uuid4()
    if name == "IntConverter":
        return 1
    return "x"


@pytest.fixture
def sweep(ws):
    """The plan with approvals and a deleted activity, so every URL has something to show."""
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    workflow.document_approve(document=ws.sub_agreement, by=ws.board, meeting_date=date(2024, 1, 5),
                                  referat="Referat")
    workflow.document_submit(document=ws.strategic, by=ws.secretary)
    workflow.document_approve(document=ws.strategic, by=ws.board, meeting_date=date(2024, 1, 5),
                                         referat="Referat")
    stored = default_storage.save(f"godkendelser/{ws.plan.pk}/test.pdf", ContentFile(b"%PDF-1.7 test"))
    Approval.objects.filter(plan=ws.plan).update(pdf=stored)
    milestone = Milestone.objects.create(plan=ws.plan, title="Lektiecafé Toften åbner", due_date=date(2023, 1, 1))
    meeting = workflow.meeting_create(plan=ws.plan, by=ws.secretary, date=date(2024, 1, 5), place="Beboerhuset")
    attachment = attach(ws.plan, ws.secretary, title="Kommissorium for bestyrelsen")
    doomed = Activity.objects.get(name="Familieklub")
    doomed_pk = doomed.pk
    doomed.delete()
    values = {
        "slug": ws.plan.slug,
        "area": ws.sub_agreement.focus_area.slug,
        "number": 1,
        "pk": Activity.objects.get(name="Lektiecafé Toften").pk,
        "history_id": Activity.history.get(id=doomed_pk, history_type="-").history_id,
        "milestone": milestone.pk,
    }
    urls = {}
    for name, converters in plan_scoped_url_names():
        kwargs = {key: values[key] if key in values and (name.startswith("agreements:") or key in ("slug", "area"))
                  else _value_for(converter) for key, converter in converters.items()}
        if name.startswith("agreements:meeting_") and "pk" in kwargs:
            kwargs["pk"] = meeting.pk
        if name.startswith("agreements:attachment_") and "pk" in kwargs:
            kwargs["pk"] = attachment.pk
        urls[name] = reverse(name, kwargs=kwargs)
    return urls


def _assert_nothing_leaks(response):
    body = response.content.decode(errors="replace")
    for text in SECRET_TEXTS:
        assert text not in body, f"{text!r} leaked in {response.status_code} response"


def test_the_sweep_covers_every_workspace_url(sweep):
    ours = {name for name in sweep if name.startswith("agreements:")}
    assert ours >= EDIT_URLS | APPROVE_URLS | COMMENT_URLS
    assert len(ours) >= 25


def test_member_of_another_plan_gets_404_everywhere(client, ws, sweep):
    client.force_login(ws.outsider)
    for name, url in sweep.items():
        get = client.get(url)
        allowed = (404,) if name.startswith("agreements:") and name not in POST_ONLY else (404, 405)
        assert get.status_code in allowed, (name, get.status_code)
        _assert_nothing_leaks(get)
        post = client.post(url, {"text": "Hej", "reason": "x", "meeting_date": "2024-02-01", "referat": "R",
                                 "version": 1})
        allowed = (404,) if name.startswith("agreements:") else (404, 405)  # 405: GET-only views
        assert post.status_code in allowed, (name, post.status_code)
        _assert_nothing_leaks(post)
    assert without_demo(Approval).count() == 2
    assert not ws.plan.comments.exists()


def test_anonymous_users_are_sent_to_the_login(client, sweep):
    for name in PUBLIC_URLS:
        assert client.get(sweep[name]).status_code == 404, "the sweep's plan has not opted in"
    for name, url in sweep.items():
        if name in PUBLIC_URLS:
            continue
        for response in (client.get(url), client.post(url, {"text": "Hej"})):
            assert response.status_code == 302, (name, response.status_code)
            assert response["Location"].startswith(reverse("login"))
            _assert_nothing_leaks(response)


def test_board_members_cannot_edit(client, ws, sweep):
    client.force_login(ws.board)
    for name in EDIT_URLS:
        url = sweep[name]
        if name not in POST_ONLY:
            assert client.get(url).status_code == 403, name
        assert client.post(url, {"name": "Hacket", "version": 99}).status_code == 403, name
    assert not Activity.objects.filter(name="Hacket").exists()


def _ours(sweep):
    return {name: url for name, url in sweep.items() if name.startswith("agreements:") and name not in PUBLIC_URLS}


def test_lbf_reads_every_plan_but_changes_nothing(client, ws, sweep):
    client.force_login(ws.lbf)
    for name, url in _ours(sweep).items():
        if name in READER_POSTS:
            assert client.post(url).status_code == 302, name
        elif name in POST_ONLY:
            assert client.post(url, {"text": "Hej", "meeting_date": "2024-02-01", "referat": "R", "version": 9}) \
                .status_code == 403, name
        elif name in EDIT_URLS:
            assert client.get(url).status_code == 403, name
        else:
            assert client.get(url).status_code == 200, name
    assert not ws.plan.comments.exists()


def test_secretary_reads_and_edits_but_does_not_approve(client, ws, sweep):
    client.force_login(ws.secretary)
    for name, url in _ours(sweep).items():
        if name not in POST_ONLY:
            assert client.get(url).status_code == 200, name
    for name in APPROVE_URLS:
        assert client.post(sweep[name], {"meeting_date": "2024-02-01", "referat": "R", "version": 1}) \
            .status_code == 403
    assert without_demo(Approval).count() == 2


def test_plan_pages_of_other_plans_answer_404_even_with_a_guessed_area(client, ws):
    client.force_login(ws.outsider)
    url = reverse("agreements:subagreement_detail", kwargs={"slug": ws.other_plan.slug,
                                                             "area": ws.sub_agreement.focus_area.slug})
    assert client.get(url).status_code == 404


def test_approvals_of_another_plan_cannot_be_reached_through_ones_own_plan(client, ws, sweep):
    """The number in an approval URL is looked up inside the user's plan only."""
    own = PlanMembershipFactory(plan=ws.other_plan, role="bestyrelse").user
    client.force_login(own)
    url = reverse("agreements:strategic_approval", kwargs={"slug": ws.other_plan.slug, "number": 1})
    assert client.get(url).status_code == 404


def test_only_staff_reach_the_admin(client, ws):
    client.force_login(ws.secretary)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(ws.admin)
    assert client.get("/admin/").status_code == 200


# --- Role matrix -------------------------------------------------------------------------------------

PLAN_PERMISSIONS = (permissions.VIEW_PLAN, permissions.EDIT_PLAN, permissions.SUBMIT, permissions.RETURN_TO_DRAFT,
                    permissions.APPROVE, permissions.COMMENT, permissions.RECORD_LBF_APPROVAL,
                    permissions.EXPORT_PLAN, permissions.ENTER_FOLLOWUP, permissions.MANAGE_MEETINGS,
                    permissions.ADD_ATTACHMENT, permissions.DELETE_ATTACHMENT)
ROLE_MATRIX = {
    #            view   edit   submit return approve comment lbf-appr export followup meetings bilag+ bilag-
    "secretary": (True, True, True, True, False, True, True, True, True, True, True, True),
    "board": (True, False, False, True, True, True, False, True, False, False, False, False),
    "lbf": (True, False, False, False, False, False, False, True, False, False, False, False),
    "admin": (True, True, True, True, True, True, True, True, True, True, True, True),
    "outsider": (False, False, False, False, False, False, False, False, False, False, False, False),
}


@pytest.mark.parametrize("role", sorted(ROLE_MATRIX))
def test_role_matrix(ws, role):
    """The role table of the README, as the permissions module decides it (fresh objects: no cached role)."""
    user = type(getattr(ws, role)).objects.get(pk=getattr(ws, role).pk)
    plan = type(ws.plan).objects.get(pk=ws.plan.pk)
    assert tuple(user.has_perm(permission, plan) for permission in PLAN_PERMISSIONS) == ROLE_MATRIX[role]
    assert user.has_perm(permissions.LBF_OVERVIEW) == (role in ("lbf", "admin"))


def test_outsiders_and_anonymous_see_no_plan(ws):
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    for user in (ws.outsider, AnonymousUser()):
        assert ws.plan not in plans_visible_to(user)
        with pytest.raises(Http404):
            selectors.get_plan_for_user(user, ws.plan.slug)


def test_inactive_users_see_nothing(ws):
    ws.secretary.is_active = False
    ws.secretary.save()
    assert not plans_visible_to(ws.secretary).exists()


@pytest.mark.parametrize("url_name", ["agreements:clause_new", "agreements:organisation_new",
                                      "agreements:contact_new"])
def test_shared_registers_are_edited_by_the_secretariat_only(client, ws, url_name):
    for user, status in ((ws.board, 403), (ws.lbf, 403), (ws.secretary, 200)):
        client.force_login(user)
        assert client.get(reverse(url_name)).status_code == status


def test_a_clause_is_changed_only_by_its_author(client, ws):
    clause = Clause.objects.create(category=Clause.Category.REVISION, title="Sara's klausul", text="Tekst",
                                   created_by=ws.secretary)
    colleague = PlanMembershipFactory(plan=ws.plan).user
    client.force_login(colleague)
    assert client.get(reverse("agreements:clause_edit", kwargs={"pk": clause.pk})).status_code == 403
    client.force_login(ws.secretary)
    assert client.get(reverse("agreements:clause_edit", kwargs={"pk": clause.pk})).status_code == 200


def test_partner_usage_lists_only_visible_plans(client, ws):
    contact = ContactFactory(organisation=ws.sub_agreement.parties.first().organisation)
    party = ws.sub_agreement.parties.get(organisation=contact.organisation)
    services.party_contacts_set(party=party, contacts=[contact])
    organisation = contact.organisation
    client.force_login(ws.outsider)
    body = client.get(reverse("agreements:organisation_detail", kwargs={"pk": organisation.pk})).content.decode()
    assert "Tryg Toften" not in body and "Indgår ikke i nogen af de helhedsplaner" in body
    client.force_login(ws.secretary)
    body = client.get(reverse("agreements:organisation_detail", kwargs={"pk": organisation.pk})).content.decode()
    assert "Tryg Toften" in body and "Ansvarlig for aktiviteten »Lektiecafé Toften«" in body
    body = client.get(reverse("agreements:contact_detail", kwargs={"pk": contact.pk})).content.decode()
    assert "Kontaktperson i Delaftale for indsatsområdet" in body


def test_no_role_is_given_by_a_membership_of_another_plan(ws):
    user = UserFactory()
    PlanMembershipFactory(user=user, plan=ws.other_plan, role="sekretariat")
    assert ws.plan not in plans_visible_to(user)
    assert permissions.plan_role(user, ws.plan) is None
    assert not user.has_perm(permissions.VIEW_PLAN, ws.plan)


def test_opening_a_plan_and_listing_plans_agree_for_every_kind_of_user(db):
    """``get_plan_for_user`` (one plan) and ``plans_visible_to`` (lists) decide alike."""
    from django.contrib.auth.models import Group
    from django.http import Http404

    from agreements.permissions import LBF_GROUP, plans_visible_to
    from agreements.selectors import get_plan_for_user
    from tests.factories.agreements import PlanFactory

    mine, other = PlanFactory(), PlanFactory()
    lbf_group = Group.objects.get_or_create(name=LBF_GROUP)[0]
    secretary = PlanMembershipFactory(plan=mine).user
    board = PlanMembershipFactory(plan=mine, role=PlanMembership.Role.BOARD).user
    inactive = PlanMembershipFactory(plan=mine, user__is_active=False).user
    lbf = UserFactory()
    lbf.groups.add(lbf_group)
    lbf_member = PlanMembershipFactory(plan=mine).user
    lbf_member.groups.add(lbf_group)
    users = [secretary, board, inactive, lbf, lbf_member, UserFactory(), UserFactory(is_superuser=True)]
    for user in users:
        listed = set(plans_visible_to(user))
        for plan in (mine, other):
            try:
                opened = get_plan_for_user(user, plan.slug)
            except Http404:
                assert plan not in listed, (user, plan)
            else:
                assert plan in listed, (user, plan)
                fresh_plan = type(plan).objects.get(pk=plan.pk)
                assert permissions.plan_role(user, opened) == permissions.plan_role(user, fresh_plan)
