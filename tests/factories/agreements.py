"""Factories for plans and agreements (one module per domain)."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from agreements.models import (
    Activity,
    AgreementParty,
    Clause,
    Comment,
    Contact,
    FocusArea,
    HousingArea,
    HousingDepartment,
    Milestone,
    Organisation,
    Plan,
    PlanFocusArea,
    PlanMembership,
    Pulje,
    StaffResource,
    StrategicAgreement,
    SubAgreement,
    SubAgreementParty,
)
from helhedsplan.lbf.models import LbfExport


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"bruger{n}")
    first_name = "Mette"
    last_name = factory.Sequence(lambda n: f"Hansen{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.dk")
    password = factory.django.Password("hemmelig-kode-1")


class PuljeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pulje
        django_get_or_create = ["code"]

    code = "2019-26"
    name = "2019-26-midlerne"
    first_year = 2019
    last_year = 2026


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    pulje = factory.SubFactory(PuljeFactory)
    name = factory.Sequence(lambda n: f"Indsatsområde {n}")
    slug = factory.Sequence(lambda n: f"indsatsomraade-{n}")
    order = factory.Sequence(lambda n: n)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Boligselskabet Nord {n}")
    kind = Organisation.Kind.HOUSING


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Karen Jensen {n}")
    title = "Boligsocial koordinator"
    email = factory.Sequence(lambda n: f"karen{n}@example.dk")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    name = factory.Sequence(lambda n: f"Fælles Fremtid {n}")
    slug = factory.Sequence(lambda n: f"faelles-fremtid-{n}")
    area_name = factory.LazyAttribute(lambda p: p.name)
    pulje = factory.SubFactory(PuljeFactory)
    start_date = date(2022, 1, 1)
    end_date = date(2025, 12, 31)
    municipality = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.MUNICIPALITY)


class PlanFocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanFocusArea

    plan = factory.SubFactory(PlanFactory)
    focus_area = factory.SubFactory(FocusAreaFactory, pulje=factory.SelfAttribute("..plan.pulje"))
    problem_complex = "Mange unge står uden uddannelse."


class HousingAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HousingArea

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Parkvej {n}")


class HousingDepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HousingDepartment

    housing_area = factory.SubFactory(HousingAreaFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    number = factory.Sequence(lambda n: str(100 + n))


class StrategicAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicAgreement

    plan = factory.SubFactory(PlanFactory)
    section_1_area = "Boligområdet består af tre afdelinger."
    section_2_vision = "Et trygt boligområde for alle."


class AgreementPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementParty
        skip_postgeneration_save = True

    agreement = factory.SubFactory(StrategicAgreementFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "Boligorganisation"
    signatory_name = "Jens Nielsen"

    @factory.post_generation
    def contacts(self, create, extracted, **kwargs):
        """``contacts=[…]``: the party's contact persons, in that order."""
        for order, contact in enumerate(extracted or [], start=1):
            type(self).contacts.through.objects.create(party=self, contact=contact, order=order)


class SubAgreementFactory(factory.django.DjangoModelFactory):
    """A delaftale whose indsatsområde is chosen by its plan (as the rules require)."""

    class Meta:
        model = SubAgreement

    plan = factory.SubFactory(PlanFactory)
    focus_area = factory.LazyAttribute(
        lambda o: PlanFocusAreaFactory(plan=o.plan).focus_area
    )
    initiative_name = factory.LazyAttribute(lambda o: o.plan.name)
    start_date = factory.LazyAttribute(lambda o: o.plan.start_date)
    end_date = factory.LazyAttribute(lambda o: o.plan.end_date)
    municipal_coherence = "Indsatsen supplerer kommunens tilbud."
    revision = "Bestyrelsen reviderer delaftalen en gang om året."


class SubAgreementPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubAgreementParty
        skip_postgeneration_save = True

    sub_agreement = factory.SubFactory(SubAgreementFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "Primær aktør"

    @factory.post_generation
    def contacts(self, create, extracted, **kwargs):
        """``contacts=[…]``: the party's contact persons, in that order."""
        for order, contact in enumerate(extracted or [], start=1):
            type(self).contacts.through.objects.create(party=self, contact=contact, order=order)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    sub_agreement = factory.SubFactory(SubAgreementFactory)
    name = factory.Sequence(lambda n: f"Lektiecafé {n}")
    purpose = "At styrke børnenes faglighed."
    target_group = "Børn i 1.–6. klasse"
    content = "Frivillige hjælper med lektier to gange om ugen."
    responsibilities = "Sekretariatet koordinerer; skolen henviser."
    order = factory.Sequence(lambda n: n)


class StaffResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffResource

    sub_agreement = factory.SubFactory(SubAgreementFactory)
    function = "Boligsocial medarbejder"
    percent = 50
    financed_by = "Helhedsplanen"


class ClauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clause

    category = Clause.Category.MUNICIPAL
    title = factory.Sequence(lambda n: f"Klausul {n}")
    text = "Indsatsen supplerer den kommunale indsats."


class PlanMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanMembership

    user = factory.SubFactory(UserFactory)
    plan = factory.SubFactory(PlanFactory)
    role = PlanMembership.Role.SECRETARIAT


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Milepæl {n}")
    due_date = factory.LazyAttribute(lambda m: m.plan.start_date)


class LbfExportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LbfExport

    requested_by = factory.SubFactory(UserFactory)
    plan_slugs = factory.List([])


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    plan = factory.SubFactory(PlanFactory)
    author = factory.SubFactory(UserFactory)
    text = "Ser fint ud."
