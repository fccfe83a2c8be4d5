"""Mål og indikatorer: the strategic agreement's section 5 and each delaftale's "Delmål og indikatorer".

- ``StandardGoal`` / ``StandardIndicator``: LBF's fixed overordnede mål and faste indikatorer of a
  pulje (reference data; a new plan copies them, baselines to fill in).
- ``Goal``: an overordnet mål of one of the plan's indsatsområder (section 5).
- ``SubGoal``: a delmål of a delaftale.
- ``Indicator``: belongs to a goal or a delmål; baselines, target or "Monitorering (ingen mål)".
- ``IndicatorValue``: the annual follow-up, one value per indicator and calendar year.

Texts keep the original wording (``"90,7 %"``, ``"40 børnefamilier deltager i HippHopp+"``) for
display; the numbers next to them (``*_value``) are what progress and charts are computed from.
Models hold data and small invariants; rules that span objects live in ``services.py``/``checks.py``.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from agreements.models import Activity, FocusArea, Plan, SubAgreement
from helhedsplan.formatting import format_number
from helhedsplan.validators import NOTE_TEXT_LIMIT, no_control_characters, text_rules

MONITORING_LABEL = "Monitorering (ingen mål)"


class Unit(models.TextChoices):
    PERCENT = "%", "%"
    COUNT = "antal", "antal"
    GRADE = "karaktergennemsnit", "karaktergennemsnit"
    SCORE = "score", "score"
    OTHER = "andet", "andet (tekst)"


NUMERIC_UNITS = frozenset({Unit.PERCENT, Unit.COUNT, Unit.GRADE, Unit.SCORE})


def format_with_unit(value: Decimal | int | float | None, unit: str) -> str:
    """``90.7, "%"`` → ``"90,7 %"``; ``40, "antal"`` → ``"40"``."""
    if value is None:
        return ""
    text = format_number(value)
    return f"{text} %" if unit == Unit.PERCENT else text


class StandardGoal(models.Model):
    """LBF's fixed overordnet mål for an indsatsområde of a pulje (reference data)."""

    focus_area = models.OneToOneField(FocusArea, on_delete=models.CASCADE, related_name="standard_goal",
                                      verbose_name="indsatsområde")
    text = models.TextField("overordnet mål", **text_rules(NOTE_TEXT_LIMIT))
    history = HistoricalRecords()

    class Meta:
        verbose_name = "fast overordnet mål (LBF)"
        verbose_name_plural = "faste overordnede mål (LBF)"
        ordering = ["focus_area__pulje", "focus_area__order"]

    def __str__(self) -> str:
        return self.text


class StandardIndicator(models.Model):
    """One of LBF's faste indikatorer under a fixed overordnet mål (reference data)."""

    goal = models.ForeignKey(StandardGoal, on_delete=models.CASCADE, related_name="indicators",
                             verbose_name="overordnet mål")
    text = models.TextField("indikator", **text_rules(NOTE_TEXT_LIMIT))
    unit = models.CharField("enhed", max_length=20, choices=Unit.choices, default=Unit.PERCENT)
    lower_is_better = models.BooleanField("lavere er bedre", default=False)
    data_source = models.CharField("datakilde", max_length=300, blank=True, validators=[no_control_characters])
    order = models.PositiveSmallIntegerField("rækkefølge", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "fast LBF-indikator"
        verbose_name_plural = "faste LBF-indikatorer"
        ordering = ["goal_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "order"], name="standardindicator_unique_order"),
        ]

    def __str__(self) -> str:
        return self.text


class Goal(models.Model):
    """An overordnet mål of one of the plan's indsatsområder (strategic agreement, section 5)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals", verbose_name="helhedsplan")
    focus_area = models.ForeignKey(FocusArea, on_delete=models.PROTECT, related_name="goals",
                                   verbose_name="indsatsområde")
    standard = models.ForeignKey(StandardGoal, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="goals", verbose_name="fast LBF-mål")
    text = models.TextField("overordnet mål", **text_rules(NOTE_TEXT_LIMIT))
    order = models.PositiveSmallIntegerField("rækkefølge", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "overordnet mål"
        verbose_name_plural = "overordnede mål"
        ordering = ["plan_id", "order", "id"]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if self.plan_id and self.focus_area_id and self.focus_area.pulje_id != self.plan.pulje_id:
            raise ValidationError({"focus_area": "Indsatsområdet hører ikke til helhedsplanens pulje."})


class SubGoal(models.Model):
    """A delmål of a delaftale."""

    sub_agreement = models.ForeignKey(SubAgreement, on_delete=models.CASCADE, related_name="sub_goals",
                                      verbose_name="delaftale")
    text = models.TextField("delmål", **text_rules(NOTE_TEXT_LIMIT))
    order = models.PositiveSmallIntegerField("rækkefølge", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "delmål"
        verbose_name_plural = "delmål"
        ordering = ["sub_agreement_id", "order", "id"]

    def __str__(self) -> str:
        return self.text


class Indicator(models.Model):
    """An indikator of an overordnet mål or of a delmål, with baselines and target (or monitorering)."""

    class Kind(models.TextChoices):
        FIXED = "fast", "Fast LBF-indikator"
        LOCAL = "lokal", "Lokal indikator"
        ACTIVITY = "aktivitetsnaer", "Aktivitetsnær indikator"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators",
                             verbose_name="overordnet mål")
    sub_goal = models.ForeignKey(SubGoal, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="indicators", verbose_name="delmål")
    standard = models.ForeignKey(StandardIndicator, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="indicators", verbose_name="fast LBF-indikator")
    kind = models.CharField("type", max_length=20, choices=Kind.choices, default=Kind.LOCAL)
    text = models.TextField("indikator", **text_rules(NOTE_TEXT_LIMIT))
    unit = models.CharField("enhed", max_length=20, choices=Unit.choices, default=Unit.PERCENT)
    lower_is_better = models.BooleanField(
        "lavere er bedre", default=False, help_text="F.eks. andel sigtede, restgruppen, ledighed, fravær."
    )
    target = models.TextField("mål (ordlyd)", blank=True,
                              help_text="F.eks. »40 børnefamilier deltager i HippHopp+«.",
                              **text_rules(NOTE_TEXT_LIMIT))
    target_value = models.DecimalField("målværdi", max_digits=14, decimal_places=3, null=True, blank=True)
    monitoring = models.BooleanField("monitorering (ingen mål)", default=False)
    baseline_area = models.CharField("baseline boligområde/målgruppe", max_length=500, blank=True,
                                     help_text="Som den står i aftalen, f.eks. »90,7 %«.",
                                     validators=[no_control_characters])
    baseline_area_value = models.DecimalField("baseline boligområde (tal)", max_digits=14, decimal_places=3,
                                              null=True, blank=True)
    baseline_other_label = models.CharField("anden baseline – hvem", max_length=200, blank=True,
                                            help_text="F.eks. »Slagelse Kommune«.", validators=[no_control_characters])
    baseline_other = models.CharField("baseline kommune (evt. andet)", max_length=500, blank=True,
                                      validators=[no_control_characters])
    baseline_other_value = models.DecimalField("anden baseline (tal)", max_digits=14, decimal_places=3,
                                               null=True, blank=True)
    baseline_year = models.CharField("baseline år", max_length=50, blank=True,
                                     help_text="Som skrevet, f.eks. »2019« eller »Skoleåret 2019/20«.",
                                     validators=[no_control_characters])
    data_source = models.CharField("datakilde", max_length=300, blank=True, validators=[no_control_characters])
    activity = models.ForeignKey(Activity, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="indicators", verbose_name="aktivitet")
    order = models.PositiveSmallIntegerField("rækkefølge", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "indikator"
        verbose_name_plural = "indikatorer"
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(goal__isnull=False) & Q(sub_goal__isnull=True))
                | (Q(goal__isnull=True) & Q(sub_goal__isnull=False)),
                name="indicator_goal_xor_subgoal",
                violation_error_message="En indikator hører enten til et overordnet mål eller til et delmål.",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if bool(self.goal_id) == bool(self.sub_goal_id):
            errors["sub_goal"] = "En indikator hører enten til et overordnet mål eller til et delmål."
        if self.monitoring and (self.target_value is not None or self.target.strip()):
            errors["monitoring"] = "En indikator med monitorering (ingen mål) kan ikke også have et mål."
        if self.activity_id and self.sub_goal_id:
            if self.activity.sub_agreement_id != self.sub_goal.sub_agreement_id:
                errors["activity"] = "Aktiviteten hører ikke til delmålets delaftale."
        elif self.activity_id and self.goal_id and self.activity.sub_agreement.plan_id != self.goal.plan_id:
            errors["activity"] = "Aktiviteten hører ikke til helhedsplanen."
        if errors:
            raise ValidationError(errors)

    @property
    def plan(self) -> Plan:
        return self.goal.plan if self.goal_id else self.sub_goal.sub_agreement.plan

    @property
    def focus_area(self) -> FocusArea:
        return self.goal.focus_area if self.goal_id else self.sub_goal.sub_agreement.focus_area

    @property
    def is_numeric(self) -> bool:
        return self.unit in NUMERIC_UNITS

    @property
    def has_target(self) -> bool:
        return self.target_value is not None or bool(self.target.strip())

    @property
    def target_display(self) -> str:
        """The target as written, "Monitorering (ingen mål)", or ""."""
        if self.monitoring:
            return MONITORING_LABEL
        if self.target.strip():
            return self.target
        return format_with_unit(self.target_value, self.unit)

    @property
    def baseline_area_display(self) -> str:
        return self.baseline_area or format_with_unit(self.baseline_area_value, self.unit)

    @property
    def baseline_other_display(self) -> str:
        return self.baseline_other or format_with_unit(self.baseline_other_value, self.unit)


class IndicatorValue(models.Model):
    """The annual follow-up: the indicator's value in one calendar year."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values",
                                  verbose_name="indikator")
    year = models.PositiveSmallIntegerField("år")
    value = models.DecimalField("værdi", max_digits=14, decimal_places=3, null=True, blank=True)
    value_text = models.CharField("værdi (ordlyd)", max_length=300, blank=True,
                                  help_text="Kun til visning, f.eks. »72 % (UP) 64 % (AB)«.",
                                  validators=[no_control_characters])
    note = models.TextField("note", blank=True, **text_rules(NOTE_TEXT_LIMIT))
    source = models.CharField("kilde", max_length=300, blank=True, validators=[no_control_characters])
    history = HistoricalRecords()

    class Meta:
        verbose_name = "årlig opfølgning"
        verbose_name_plural = "årlig opfølgning"
        ordering = ["indicator_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicatorvalue_one_per_year",
                                    violation_error_message="Indikatoren har allerede en værdi for dette år."),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} – {self.year}: {self.display}"

    @property
    def display(self) -> str:
        return self.value_text or format_with_unit(self.value, self.indicator.unit)

    @property
    def is_demo(self) -> bool:
        return self.source == "Demodata"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.indicator_id:
            return
        indicator = self.indicator
        plan = indicator.plan
        if self.year is not None and self.year not in plan.years:
            errors["year"] = (
                f"Året {self.year} ligger uden for helhedsplanens periode "
                f"({plan.years[0]}–{plan.years[-1]})."
            )
        if indicator.is_numeric and self.value is None:
            errors["value"] = f"Værdien skal være et tal, fordi indikatorens enhed er »{indicator.get_unit_display()}«."
        elif self.value is None and not self.value_text.strip():
            errors["value"] = "Angiv en værdi."
        if errors:
            raise ValidationError(errors)
