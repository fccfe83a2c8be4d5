"""django-import-export resources for partners, contacts and activities (xlsx/csv in the admin).

Imports are all-or-nothing (``IMPORT_EXPORT_USE_TRANSACTIONS``) and every row is validated with
the models' ``full_clean()``; formulas are escaped on export.
"""

from import_export import fields

from helhedsplan.importing import AllOrNothingResource, NamedForeignKeyWidget, NamedManyToManyWidget

from .models import Activity, Contact, HousingArea, Organisation, SubAgreement


class OrganisationResource(AllOrNothingResource):
    name = fields.Field(attribute="name", column_name="navn")
    short_name = fields.Field(attribute="short_name", column_name="kort navn")
    kind = fields.Field(attribute="kind", column_name="type")
    address = fields.Field(attribute="address", column_name="adresse")
    website = fields.Field(attribute="website", column_name="hjemmeside")

    class Meta:
        model = Organisation
        import_id_fields = ["name"]
        fields = ["name", "short_name", "kind", "address", "website"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class ContactResource(AllOrNothingResource):
    organisation = fields.Field(
        attribute="organisation", column_name="organisation",
        widget=NamedForeignKeyWidget(Organisation, field="name"),
    )
    name = fields.Field(attribute="name", column_name="navn")
    title = fields.Field(attribute="title", column_name="funktion")
    email = fields.Field(attribute="email", column_name="e-mail")
    phone = fields.Field(attribute="phone", column_name="telefon")

    class Meta:
        model = Contact
        import_id_fields = ["organisation", "name"]
        fields = ["organisation", "name", "title", "email", "phone"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class SubAgreementWidget(NamedForeignKeyWidget):
    """A delaftale named as ``plan-slug/indsatsområde-slug``."""

    def __init__(self) -> None:
        super().__init__(SubAgreement)

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        slug, _, area = str(value).strip().partition("/")
        try:
            return SubAgreement.objects.get(plan__slug=slug, focus_area__slug=area)
        except SubAgreement.DoesNotExist as exc:
            raise ValueError(f"Ukendt delaftale »{value}« (forventet plan-kortnavn/indsatsområde).") from exc

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return f"{value.plan.slug}/{value.focus_area.slug}"


class ActivityResource(AllOrNothingResource):
    sub_agreement = fields.Field(attribute="sub_agreement", column_name="delaftale", widget=SubAgreementWidget())
    name = fields.Field(attribute="name", column_name="aktivitetsnavn")
    short_description = fields.Field(attribute="short_description", column_name="kort beskrivelse")
    purpose = fields.Field(attribute="purpose", column_name="formål")
    target_group = fields.Field(attribute="target_group", column_name="målgruppe")
    content = fields.Field(attribute="content", column_name="indhold og praksis")
    anchoring = fields.Field(attribute="anchoring", column_name="forankring")
    responsibilities = fields.Field(attribute="responsibilities", column_name="ansvars- og rollefordeling")
    locations = fields.Field(attribute="locations", column_name="lokaliteter")
    responsible_organisations = fields.Field(
        attribute="responsible_organisations", column_name="ansvarlige organisationer",
        widget=NamedManyToManyWidget(Organisation, field="name", separator=";"),
    )
    housing_areas = fields.Field(
        attribute="housing_areas", column_name="boligområder",
        widget=NamedManyToManyWidget(HousingArea, field="name", separator=";"),
    )
    municipal_cofinancing = fields.Field(attribute="municipal_cofinancing", column_name="kommunal medfinansiering")
    revision = fields.Field(attribute="revision", column_name="revision af aftalen")
    order = fields.Field(attribute="order", column_name="rækkefølge")

    class Meta:
        model = Activity
        import_id_fields = ["sub_agreement", "name"]
        fields = ["sub_agreement", "name", "short_description", "purpose", "target_group", "content", "anchoring",
                  "responsibilities", "locations", "responsible_organisations", "housing_areas",
                  "municipal_cofinancing", "revision", "order"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
