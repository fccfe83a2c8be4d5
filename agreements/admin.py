"""The admin: an editor for administrators, with history and import/export."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from helhedsplan.importing import BoundedImportExportModelAdmin

from .models import (
    Activity,
    AgreementParty,
    AgreementPartyContact,
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
    PuljeText,
    StaffResource,
    StrategicAgreement,
    SubAgreement,
    SubAgreementParty,
    SubAgreementPartyContact,
)
from .resources import ActivityResource, ContactResource, OrganisationResource


class FocusAreaInline(admin.TabularInline):
    model = FocusArea
    extra = 0
    prepopulated_fields = {"slug": ("name",)}


class PuljeTextInline(admin.StackedInline):
    model = PuljeText
    extra = 0


@admin.register(Pulje)
class PuljeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "first_year", "last_year", "min_cofinancing_percent"]
    search_fields = ["name", "code"]
    inlines = [FocusAreaInline, PuljeTextInline]


@admin.register(FocusArea)
class FocusAreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "pulje", "order"]
    list_filter = ["pulje"]
    search_fields = ["name", "lbf_goal"]
    prepopulated_fields = {"slug": ("name",)}


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(BoundedImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [OrganisationResource]
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(BoundedImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [ContactResource]
    list_display = ["name", "title", "organisation", "email", "phone"]
    list_filter = ["organisation__kind"]
    search_fields = ["name", "title", "email", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]


class PlanFocusAreaInline(admin.StackedInline):
    model = PlanFocusArea
    extra = 0
    autocomplete_fields = ["focus_area"]


class HousingAreaInline(admin.TabularInline):
    model = HousingArea
    extra = 0
    show_change_link = True


class MembershipInline(admin.TabularInline):
    model = PlanMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "pulje", "document_kind", "start_date", "end_date", "municipality"]
    list_filter = ["pulje", "document_kind", "municipality"]
    search_fields = ["name", "slug", "area_name", "lbf_journal_number"]
    prepopulated_fields = {"slug": ("name",)}
    list_select_related = ["pulje", "municipality"]
    autocomplete_fields = ["administrating_organisation", "municipality"]
    inlines = [PlanFocusAreaInline, HousingAreaInline, MembershipInline]


class HousingDepartmentInline(admin.TabularInline):
    model = HousingDepartment
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(HousingArea)
class HousingAreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "order"]
    list_filter = ["plan"]
    search_fields = ["name", "plan__name"]
    inlines = [HousingDepartmentInline]


@admin.register(HousingDepartment)
class HousingDepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "organisation", "housing_area"]
    list_filter = ["housing_area__plan"]
    search_fields = ["number", "name", "organisation__name", "housing_area__name"]
    list_select_related = ["organisation", "housing_area"]


@admin.register(PlanFocusArea)
class PlanFocusAreaAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "focus_area", "order"]
    list_filter = ["plan", "focus_area__pulje"]
    search_fields = ["plan__name", "focus_area__name"]
    list_select_related = ["plan", "focus_area"]


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(StrategicAgreement)
class StrategicAgreementAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "plan"]
    search_fields = ["plan__name"]
    list_select_related = ["plan"]
    inlines = [AgreementPartyInline]
    autocomplete_fields = ["contract_issuer"]
    readonly_fields = ["status"]  # moved by the bestyrelse workflow only


class AgreementPartyContactInline(admin.TabularInline):
    """The party's contact persons (of its organisation), in their order."""

    model = AgreementPartyContact
    extra = 0
    autocomplete_fields = ["contact"]
    fields = ["contact", "order"]


@admin.register(AgreementParty)
class AgreementPartyAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "agreement", "role", "signatory_name", "signed_date"]
    list_filter = ["agreement__plan"]
    search_fields = ["organisation__name", "signatory_name"]
    list_select_related = ["organisation", "agreement__plan"]
    inlines = [AgreementPartyContactInline]


class SubAgreementPartyInline(admin.TabularInline):
    model = SubAgreementParty
    extra = 0
    autocomplete_fields = ["organisation"]
    show_change_link = True  # the contact persons are edited on the party's own page


class ActivityInline(admin.StackedInline):
    model = Activity
    extra = 0
    show_change_link = True
    fields = ["order", "name", "short_description", "purpose", "target_group", "municipal_cofinancing", "revision"]


class StaffResourceInline(admin.TabularInline):
    model = StaffResource
    extra = 0
    autocomplete_fields = ["contacts"]


@admin.register(SubAgreement)
class SubAgreementAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "plan", "focus_area", "start_date", "end_date"]
    list_filter = ["plan", "focus_area__pulje", "focus_area"]
    search_fields = ["plan__name", "focus_area__name", "initiative_name"]
    list_select_related = ["plan", "focus_area"]
    inlines = [SubAgreementPartyInline, ActivityInline, StaffResourceInline]
    readonly_fields = ["status"]  # moved by the bestyrelse workflow only


class SubAgreementPartyContactInline(admin.TabularInline):
    """The party's contact persons (of its organisation), in their order."""

    model = SubAgreementPartyContact
    extra = 0
    autocomplete_fields = ["contact"]
    fields = ["contact", "order"]


@admin.register(SubAgreementParty)
class SubAgreementPartyAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "sub_agreement", "role"]
    list_filter = ["sub_agreement__plan"]
    search_fields = ["organisation__name", "role", "contacts__name"]
    list_select_related = ["organisation", "sub_agreement__plan", "sub_agreement__focus_area"]
    inlines = [SubAgreementPartyContactInline]


@admin.register(Activity)
class ActivityAdmin(BoundedImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [ActivityResource]
    list_display = ["name", "sub_agreement", "municipal_cofinancing", "order"]
    list_filter = ["sub_agreement__plan", "sub_agreement__focus_area", "municipal_cofinancing"]
    search_fields = ["name", "purpose", "content", "target_group"]
    list_select_related = ["sub_agreement__plan", "sub_agreement__focus_area"]
    filter_horizontal = ["housing_areas", "responsible_organisations", "contacts"]


@admin.register(StaffResource)
class StaffResourceAdmin(SimpleHistoryAdmin):
    list_display = ["function", "sub_agreement", "percent", "hours_per_week", "financed_by", "financed_by_plan"]
    list_filter = ["sub_agreement__plan", "financed_by_plan"]
    search_fields = ["function", "financed_by"]
    list_select_related = ["sub_agreement__plan", "sub_agreement__focus_area"]
    autocomplete_fields = ["contacts"]


@admin.register(Clause)
class ClauseAdmin(SimpleHistoryAdmin):
    list_display = ["title", "category", "created_by"]
    list_filter = ["category"]
    search_fields = ["title", "text"]


@admin.register(PlanMembership)
class PlanMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "plan", "role"]
    list_filter = ["plan", "role"]
    search_fields = ["user__username", "plan__name"]
    autocomplete_fields = ["user", "plan"]


@admin.register(Comment)
class CommentAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "sub_agreement", "author", "created_at"]
    list_filter = ["plan"]
    search_fields = ["text", "author__username"]
    list_select_related = ["plan", "sub_agreement__focus_area", "author"]


# --- Milepæle -----------------------------------------------------------------

@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "focus_area", "due_date", "status", "done_date"]
    list_filter = ["status", "plan"]
    search_fields = ["title", "plan__name"]
    list_select_related = ["plan", "focus_area"]
