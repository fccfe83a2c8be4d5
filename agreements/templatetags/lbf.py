"""Template tags for the LBF-udtræk and the milepælsplan widget."""

from django import template

from agreements.milestones import milestone_summary
from agreements.selectors import is_lbf

register = template.Library()


@register.inclusion_tag("agreements/_milestone_widget.html")
def milestone_widget(plan):
    return {"plan": plan, "summary": milestone_summary(plan)}


@register.simple_tag
def user_is_lbf(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or is_lbf(user)))
