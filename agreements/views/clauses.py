"""The clause library: eksempelklausuler shared by every plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from agreements import permissions, selectors, services
from agreements.forms import (
    ClauseForm,
)
from agreements.models import (
    Clause,
)
from helhedsplan.forms import add_service_errors

CLAUSE_FIELDS = {
    "municipal_coherence": Clause.Category.MUNICIPAL,
    "conflict_handling": Clause.Category.CONFLICT,
    "revision": Clause.Category.REVISION,
}


def clauses_by_field() -> dict[str, list[Clause]]:
    clauses = list(Clause.objects.all())
    return {name: [c for c in clauses if c.category == category] for name, category in CLAUSE_FIELDS.items()}


@login_required
def clause_list(request: HttpRequest) -> HttpResponse:
    category = request.GET.get("kategori", "")
    clauses = Clause.objects.select_related("created_by")
    if category in Clause.Category.values:
        clauses = clauses.filter(category=category)
    groups = [(label, [c for c in clauses if c.category == value]) for value, label in Clause.Category.choices]
    return render(request, "agreements/clause_list.html", {
        "groups": [(label, items) for label, items in groups if items],
        "categories": Clause.Category.choices, "category": category,
        "can_create": request.user.has_perm(permissions.CREATE_SHARED),
    })


def _clause_prefill(request: HttpRequest) -> dict:
    """Prefill a new clause from a delaftale field (``?fra=<plan>/<area>/<field>``) the user can see."""
    initial: dict = {}
    if request.GET.get("kategori") in Clause.Category.values:
        initial["category"] = request.GET["kategori"]
    source = request.GET.get("fra", "")
    parts = source.split("/")
    if len(parts) == 3 and parts[2] in CLAUSE_FIELDS:
        plan = selectors.get_plan_for_user(request.user, parts[0])
        sub_agreement = selectors.get_sub_agreement(plan, parts[1])
        initial.update(category=CLAUSE_FIELDS[parts[2]], text=getattr(sub_agreement, parts[2]),
                       title=f"{sub_agreement.focus_area.name} ({plan.name})")
    return initial


@login_required
def clause_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Save a good text as a new clause (secretariat members), or change one's own clause."""
    clause = get_object_or_404(Clause, pk=pk) if pk else Clause()
    permissions.require_shared_write(request.user, permissions.EDIT_CLAUSE, clause)
    form = ClauseForm(request.POST or None, instance=clause, initial=None if pk else _clause_prefill(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.clause_save(clause=clause, by=request.user,
                                 **{k: form.cleaned_data[k] for k in ClauseForm.Meta.fields})
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Eksempelklausulen »{clause.title}« er gemt.")
            return redirect(f"{reverse('agreements:clause_list')}#klausul-{clause.pk}")
    return render(request, "agreements/clause_form.html", {"form": form, "clause": clause})

