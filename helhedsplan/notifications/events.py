"""Who hears of what, for events in the layers below this one (the plan's comments)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet

from agreements import services
from agreements.models import Comment, Plan, PlanMembership, SubAgreement

from .models import Kind, Notification
from .services import notify


def plan_members(plan: Plan, *, role: str | None = None, excluding: AbstractBaseUser | None = None) -> QuerySet:
    """The plan's active members (of one role), without the one who acted."""
    memberships = PlanMembership.objects.filter(plan=plan)
    if role is not None:
        memberships = memberships.filter(role=role)
    users = get_user_model().objects.filter(is_active=True, pk__in=memberships.values("user_id"))
    if excluding is not None:
        users = users.exclude(pk=excluding.pk)
    return users.order_by("pk")


def comment_added(comment: Comment) -> list[Notification]:
    """Tell the plan's other members of a new comment."""
    document = comment.sub_agreement
    url = (document.get_absolute_url() if document else comment.plan.get_absolute_url()) + "#kommentarer"
    return notify(kind=Kind.COMMENT, users=plan_members(comment.plan, excluding=comment.author),
                  event_key=f"comment:{comment.pk}", url=url, plan=comment.plan,
                  context={"comment": comment, "document": document, "author": comment.author})


@transaction.atomic
def comment_post(*, plan: Plan, author: AbstractBaseUser, text: str,
                 sub_agreement: SubAgreement | None = None) -> Comment:
    """Save a comment and tell the plan's other members (the caller checks the permission)."""
    comment = services.comment_add(plan=plan, author=author, text=text, sub_agreement=sub_agreement)
    comment_added(comment)
    return comment
