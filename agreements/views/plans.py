"""Starting a new helhedsplan in the browser ("Ny helhedsplan")."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from agreements import permissions, services
from agreements.forms import HousingAreaFormSet, PlanCreateForm, PlanPuljeForm
from agreements.models import Pulje
from helhedsplan.forms import add_service_errors

PLAN_FIELDS = ["name", "start_date", "end_date", "lbf_journal_number", "administrating_organisation",
               "municipality", "focus_areas"]


def _suggested_period(pulje: Pulje) -> dict[str, date]:
    """From 1 January of this year (kept within the pulje's years), for the pulje's usual length."""
    year = min(max(timezone.localdate().year, pulje.first_year), pulje.last_year)
    return {"start_date": date(year, 1, 1), "end_date": date(year + pulje.default_length_years - 1, 12, 31)}


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    """First the pulje (its years and indsatsområder), then the plan with its boligområder."""
    permissions.require(request.user, permissions.CREATE_PLAN)
    code = request.POST.get("pulje") if request.method == "POST" else request.GET.get("pulje")
    pulje = Pulje.objects.filter(code=code).first() if code else None
    if pulje is None:
        return render(request, "agreements/plan_new.html", {
            "pulje_form": PlanPuljeForm(initial={"pulje": Pulje.objects.order_by("-first_year").first()}),
        })
    data = request.POST if request.method == "POST" else None
    form = PlanCreateForm(data, pulje=pulje, initial=_suggested_period(pulje))
    areas = HousingAreaFormSet(data, prefix="omraader")
    if data is not None and form.is_valid() and areas.is_valid():
        fields = {name: form.cleaned_data[name] for name in PLAN_FIELDS}
        try:
            plan = services.plan_create(
                by=request.user, pulje=pulje, **fields,
                housing_areas=areas.housing_areas(default_organisation=fields["administrating_organisation"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Helhedsplanen »{plan.name}« er oprettet med en delaftale pr. "
                                      "indsatsområde. Du er med i planens sekretariat.")
            return redirect(plan)
    return render(request, "agreements/plan_new.html", {"pulje": pulje, "form": form, "areas": areas})
