"""Progress: towards a target, lower-is-better indicators, and monitoring against the baselines."""

from decimal import Decimal as D

from indicators.models import Indicator, Unit
from indicators.progress import (
    BETTER_THAN_OTHER,
    IMPROVING,
    NO_BASELINE,
    NO_VALUE,
    REACHED,
    UNCHANGED,
    WORSE_THAN_OTHER,
    WORSENING,
    indicator_progress,
)


def make(**fields) -> Indicator:
    defaults = {"text": "Indikator", "unit": Unit.PERCENT, "monitoring": True}
    defaults.update(fields)
    return Indicator(**defaults)


def test_activity_target_share_of_the_way_from_baseline():
    hipphopp = make(unit=Unit.COUNT, monitoring=False, target_value=D(40), baseline_area_value=D(0))
    progress = indicator_progress(indicator=hipphopp, values={2022: D(18), 2023: D(31)})
    assert progress.status == IMPROVING
    assert progress.year == 2023 and progress.value == D(31)
    assert progress.percent_of_target == D(78)  # 31 of 40 from 0
    assert progress.text == "2023: 31, 78 % af vejen fra baseline til målet (40)."


def test_target_reached_when_value_meets_it():
    hipphopp = make(unit=Unit.COUNT, monitoring=False, target_value=D(40), baseline_area_value=D(0))
    progress = indicator_progress(indicator=hipphopp, values={2022: D(18), 2024: D(42)})
    assert progress.status == REACHED
    assert progress.percent_of_target == D(105)
    assert "målet (40) er nået" in progress.text


def test_target_without_baseline_counts_from_zero():
    jobs = make(unit=Unit.COUNT, monitoring=False, target_value=D(60), baseline_area_value=None)
    progress = indicator_progress(indicator=jobs, values={2023: D(15)})
    assert progress.share_of_target == D("0.25")
    assert progress.status == IMPROVING


def test_lower_is_better_target_is_reached_by_going_below_it():
    # Restgruppen 29,4 % → target 25 %: falling is progress, 24,9 reaches it.
    restgruppe = make(monitoring=False, lower_is_better=True, baseline_area_value=D("29.4"), target_value=D(25))
    halfway = indicator_progress(indicator=restgruppe, values={2023: D("27.2")})
    assert halfway.status == IMPROVING
    assert halfway.percent_of_target == D(50)
    assert halfway.change == D("-2.2")
    worse = indicator_progress(indicator=restgruppe, values={2023: D("30.1")})
    assert worse.status == WORSENING
    assert worse.percent_of_target == D(-16)
    reached = indicator_progress(indicator=restgruppe, values={2024: D("24.9")})
    assert reached.status == REACHED


def test_monitoring_lower_is_better_improves_when_falling_and_gap_to_kommune_narrows():
    sigtede = make(lower_is_better=True, baseline_area_value=D("5.1"), baseline_other_value=D("3.0"),
                   baseline_other_label="Slagelse Kommune")
    progress = indicator_progress(indicator=sigtede, values={2022: D("4.8"), 2024: D("4.2")})
    assert progress.status == IMPROVING
    assert progress.change == D("-0.9")
    assert progress.gap_other == D("1.2") and progress.gap_other_at_baseline == D("2.1")
    assert progress.text == ("2024: forbedret med 0,9 procentpoint siden baseline. "
                             "1,2 procentpoint over Slagelse Kommune (ved baseline 2,1 procentpoint).")
    assert progress.share_of_target is None


def test_monitoring_higher_is_better_worsens_when_falling():
    dagtilbud = make(baseline_area_value=D("90.7"))
    progress = indicator_progress(indicator=dagtilbud, values={2023: D("89.9")})
    assert progress.status == WORSENING
    assert progress.text == "2023: forværret med 0,8 procentpoint siden baseline."


def test_monitoring_unchanged_and_count_units_have_no_percentage_points():
    visits = make(unit=Unit.COUNT, baseline_area_value=D(70))
    assert indicator_progress(indicator=visits, values={2023: D(70)}).status == UNCHANGED
    assert indicator_progress(indicator=visits, values={2023: D(74)}).text == \
        "2023: forbedret med 4 siden baseline."


def test_monitoring_without_baseline_compares_with_the_other_baseline():
    trivsel = make(unit=Unit.SCORE, baseline_area_value=None, baseline_other_value=D("3.47"),
                   baseline_other_label="Københavns Kommune")
    progress = indicator_progress(indicator=trivsel, values={2023: D("3.40")})
    assert progress.status == WORSE_THAN_OTHER
    assert "0,07 under Københavns Kommune" in progress.text
    above = indicator_progress(indicator=trivsel, values={2023: D("3.5")})
    assert above.status == BETTER_THAN_OTHER
    absence = make(unit=Unit.PERCENT, lower_is_better=True, baseline_area_value=None, baseline_other_value=D("6.7"))
    assert indicator_progress(indicator=absence, values={2023: D("8.0")}).status == WORSE_THAN_OTHER
    alone = make(baseline_area_value=None)
    assert indicator_progress(indicator=alone, values={2023: D(3)}).status == NO_BASELINE


def test_no_values_and_text_only_values():
    indicator = make(baseline_area_value=D(1))
    assert indicator_progress(indicator=indicator, values={}).status == NO_VALUE
    assert indicator_progress(indicator=indicator, values={2023: None}).status == NO_VALUE


def test_latest_year_counts_not_the_best():
    uu = make(unit=Unit.COUNT, monitoring=False, target_value=D(100), baseline_area_value=D(0))
    progress = indicator_progress(indicator=uu, values={2023: D(104), 2024: D(97)})
    assert progress.year == 2024
    assert progress.status == IMPROVING
    assert progress.percent_of_target == D(97)
