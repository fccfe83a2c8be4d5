"""Organisations and contact persons, shared by every plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from agreements import permissions, selectors, services
from agreements.forms import (
    ContactForm,
    OrganisationForm,
)
from agreements.models import (
    Contact,
    Organisation,
)


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    organisations = Organisation.objects.all()
    if query:
        organisations = organisations.filter(name__icontains=query) | organisations.filter(short_name__icontains=query)
    return render(request, "agreements/organisation_list.html", {
        "organisations": organisations.order_by("name"), "query": query,
        "can_edit": request.user.has_perm(permissions.CREATE_SHARED),
    })


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    contacts = list(organisation.contacts.all())
    contact_uses = selectors.contacts_usage(contacts, request.user)
    return render(request, "agreements/organisation_detail.html", {
        "organisation": organisation, "uses": selectors.organisation_usage(organisation, request.user),
        "contacts": [(c, contact_uses[c.pk]) for c in contacts],
        "can_edit": request.user.has_perm(permissions.EDIT_PARTNER, organisation),
        "can_create": request.user.has_perm(permissions.CREATE_SHARED),
    })


@login_required
def organisation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk) if pk else Organisation()
    permissions.require_shared_write(request.user, permissions.EDIT_PARTNER, organisation)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_save(organisation=organisation, by=request.user,
                                   **{k: form.cleaned_data[k] for k in OrganisationForm.Meta.fields})
        messages.success(request, f"Organisationen »{organisation.name}« er gemt.")
        return redirect("agreements:organisation_detail", pk=organisation.pk)
    return render(request, "agreements/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.select_related("organisation"), pk=pk)
    return render(request, "agreements/contact_detail.html", {
        "contact": contact, "uses": selectors.contact_usage(contact, request.user),
        "can_edit": request.user.has_perm(permissions.EDIT_PARTNER, contact),
    })


@login_required
def contact_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    contact = get_object_or_404(Contact, pk=pk) if pk else Contact()
    permissions.require_shared_write(request.user, permissions.EDIT_PARTNER, contact)
    initial = {}
    if not pk and request.GET.get("organisation", "").isdecimal():
        initial["organisation"] = int(request.GET["organisation"])
    form = ContactForm(request.POST or None, instance=contact, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.contact_save(contact=contact, by=request.user,
                              **{k: form.cleaned_data[k] for k in ContactForm.Meta.fields})
        messages.success(request, f"Kontaktpersonen »{contact.name}« er gemt.")
        return redirect("agreements:contact_detail", pk=contact.pk)
    return render(request, "agreements/contact_form.html", {"form": form, "contact": contact})

