"""The milepælsplan widget of the plan pages."""

from django import template

from agreements.milestones import milestone_summary

register = template.Library()


@register.inclusion_tag("agreements/_milestone_widget.html")
def milestone_widget(plan):
    return {"plan": plan, "summary": milestone_summary(plan)}
