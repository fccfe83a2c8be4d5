"""The budgetark's arithmetic and notation, including property-based checks on random budgets."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgets.calculations import (
    FINANCING_FIELDS,
    Figures,
    cofinancing_percent,
    normalise_amounts,
    normalise_footnote_ref,
    strip_footnote_markers,
)


@pytest.mark.parametrize(("printed", "name", "footnote"), [
    ("Økonomistyring (1)", "Økonomistyring", "1"),
    ("Boligsocial medarbejder 2 (13), deltid", "Boligsocial medarbejder 2, deltid", "13"),
    ("Boligsocial medarbejder 1 (11 + 12)", "Boligsocial medarbejder 1", "11 + 12"),
    ("Fritidsjob (17b)", "Fritidsjob", "17b"),
    ("Kommunal facilitering (1,9 %) (8)", "Kommunal facilitering (1,9 %)", "8"),
    ("IT (inkl. brugerpakke til 10 medarbejdere) (6)", "IT (inkl. brugerpakke til 10 medarbejdere)", "6"),
    ("Revision", "Revision", ""),
])
def test_footnote_markers_are_taken_out_of_lbf_line_names(printed, name, footnote):
    assert strip_footnote_markers(printed) == (name, footnote)


def test_footnote_references_have_one_written_form():
    assert normalise_footnote_ref("(11+12)") == "11 + 12"
    assert normalise_footnote_ref("11, 12") == "11 + 12"
    assert normalise_footnote_ref(" 17B ") == "17b"
    assert normalise_footnote_ref("") == ""
    with pytest.raises(ValueError, match="fodnotens nummer"):
        normalise_footnote_ref("se note")


def test_amounts_are_whole_non_negative_thousands_keyed_by_year():
    assert normalise_amounts({2023: 5, "2022": 38.0, "2024": 0}) == {"2022": 38, "2023": 5}
    with pytest.raises(ValueError, match="negativt"):
        normalise_amounts({"2022": -1})
    with pytest.raises(ValueError, match="helt antal"):
        normalise_amounts({"2022": 37.5})
    with pytest.raises(ValueError, match="årstal"):
        normalise_amounts({"år": 1})


def test_amager_totals_by_hand():
    """Seed 002's Total row: 31.169 = LBF 19.000 + medfinansiering 12.169, 39 %."""
    figures = Figures(amounts={2022: 8057, 2023: 7735, 2024: 7940, 2025: 7437}, lbf=19000, bo_cash=4629,
                      kom_cash=4092, kom_hours=537, other=2911)
    assert figures.total == 31169
    assert figures.cofinancing == 12169
    assert figures.balance == 0
    assert figures.housing_total == 4629 and figures.municipality_total == 4629
    assert figures.cofinancing_percent == Decimal("39.0")
    assert cofinancing_percent(cofinancing=12169, total=31169, decimals=0) == Decimal("39")
    assert cofinancing_percent(cofinancing=1, total=0) is None


def test_percent_rounds_half_up():
    assert cofinancing_percent(cofinancing=1, total=8) == Decimal("12.5")
    assert cofinancing_percent(cofinancing=1, total=16) == Decimal("6.3")


amount = st.integers(min_value=0, max_value=5_000)
line_strategy = st.builds(
    Figures,
    amounts=st.dictionaries(st.integers(min_value=2019, max_value=2026), amount, max_size=8),
    **{name: amount for name in FINANCING_FIELDS},
)


@settings(max_examples=200, deadline=None)
@given(st.lists(line_strategy, max_size=30))
def test_sums_balance_and_percentage_agree_for_random_budgets(lines):
    total = Figures.sum(lines)
    years = sorted({year for line in lines for year in line.amounts})
    # Samlede udgifter is both the sum of the lines' totals and the sum of the yearly sums.
    assert total.total == sum(line.total for line in lines) == sum(total.amounts_for(years))
    # Financing adds up column by column, and the balance is what the financing misses.
    for name in FINANCING_FIELDS:
        assert getattr(total, name) == sum(getattr(line, name) for line in lines)
    assert total.balance == sum(line.balance for line in lines)
    assert total.total == total.lbf + total.cofinancing + total.balance
    # Medfinans. % is the non-LBF share of Samlede udgifter, to one decimal.
    if total.total:
        exact = Decimal(total.cofinancing) * 100 / Decimal(total.total)
        assert abs(total.cofinancing_percent - exact) <= Decimal("0.05")
    else:
        assert total.cofinancing_percent is None


@settings(max_examples=200, deadline=None)
@given(st.lists(line_strategy, min_size=1, max_size=30))
def test_a_budget_of_balanced_lines_balances_and_its_percentage_is_its_financing_share(lines):
    balanced = []
    for line in lines:
        # Let LBF pay what the other columns leave, when they leave something; otherwise add to the year.
        rest = line.total - line.cofinancing
        if rest >= 0:
            balanced.append(Figures(amounts=line.amounts, **{**line.financing, "lbf": rest}))
        else:
            balanced.append(Figures(amounts={**line.amounts, 2030: line.amounts.get(2030, 0) - rest},
                                    **{**line.financing, "lbf": 0}))
    total = Figures.sum(balanced)
    assert all(line.balance == 0 for line in balanced)
    assert total.balance == 0
    if total.total:
        share = Decimal(total.financing_total - total.lbf) * 100 / Decimal(total.financing_total)
        assert abs(total.cofinancing_percent - share) <= Decimal("0.05")
