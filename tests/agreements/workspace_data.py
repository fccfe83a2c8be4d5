"""The workspace tests' plan: one delaftale with parties, activities and staff, a strategic agreement,
and one user of every role (also used by the browser tests in ``tests/e2e``)."""

from dataclasses import dataclass

from django.contrib.auth.models import Group

from agreements.models import Plan, PlanMembership, StrategicAgreement, SubAgreement
from agreements.permissions import LBF_GROUP
from tests.factories.agreements import (
    ActivityFactory,
    AgreementPartyFactory,
    ContactFactory,
    HousingAreaFactory,
    OrganisationFactory,
    PlanFactory,
    PlanMembershipFactory,
    StaffResourceFactory,
    StrategicAgreementFactory,
    SubAgreementFactory,
    SubAgreementPartyFactory,
    UserFactory,
)


@dataclass
class Workspace:
    plan: Plan
    sub_agreement: SubAgreement
    strategic: StrategicAgreement
    secretary: object
    board: object
    lbf: object
    outsider: object
    admin: object
    other_plan: Plan


def build_workspace() -> Workspace:
    plan = PlanFactory(name="Tryg Toften", slug="tryg-toften")
    area = HousingAreaFactory(plan=plan, name="Toftegården")
    sub_agreement = SubAgreementFactory(plan=plan, revision="Bestyrelsen reviderer delaftalen årligt.")
    organisation = OrganisationFactory(name="Boligselskabet Toften")
    contact = ContactFactory(organisation=organisation, name="Lone Madsen")
    SubAgreementPartyFactory(sub_agreement=sub_agreement, organisation=organisation, contacts=[contact],
                             role="Primær aktør", order=1)
    activity = ActivityFactory(sub_agreement=sub_agreement, name="Lektiecafé Toften", order=1)
    activity.housing_areas.set([area])
    activity.responsible_organisations.set([organisation])
    ActivityFactory(sub_agreement=sub_agreement, name="Familieklub", order=2)
    StaffResourceFactory(sub_agreement=sub_agreement, function="Boligsocial koordinator", percent=50, order=1)
    strategic = StrategicAgreementFactory(plan=plan)
    AgreementPartyFactory(agreement=strategic, organisation=organisation, role="Boligorganisation")

    secretary = UserFactory(username="sara", first_name="Sara", last_name="Sekretær")
    board = UserFactory(username="bent", first_name="Bent", last_name="Bestyrelse")
    PlanMembershipFactory(user=secretary, plan=plan, role=PlanMembership.Role.SECRETARIAT)
    PlanMembershipFactory(user=board, plan=plan, role=PlanMembership.Role.BOARD)
    lbf = UserFactory(username="lise")
    lbf.groups.add(Group.objects.get_or_create(name=LBF_GROUP)[0])
    other = PlanMembershipFactory(plan__name="Andet Område", plan__slug="andet-omraade",
                                  role=PlanMembership.Role.SECRETARIAT)
    admin = UserFactory(username="admin-ws", is_staff=True, is_superuser=True)
    return Workspace(plan=plan, sub_agreement=sub_agreement, strategic=strategic, secretary=secretary, board=board,
                     lbf=lbf, outsider=other.user, admin=admin, other_plan=other.plan)
