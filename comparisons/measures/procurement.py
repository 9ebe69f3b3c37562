"""The Procurement volumes feature: each country's public purchasing per year from the facts, in one currency,
absolute or per inhabitant, the sub-totals (local government, regions, state) and their shares of the same
country's total in the same year, and the chart of every source's figure. Money conversion and per-inhabitant
values come from comparisons.measures.money.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from comparisons.i18n import N_
from comparisons.i18n.labels import COUNTRY_NAMES
from comparisons.measures.money import (
    Conversion,
    Money,
    Percent,
    RateIndex,
    Rates,
    Step,
    Term,
    convert_facts,
    convert_one,
    figure_year,
    per_inhabitant,
    ratio_bound,
    render_derivation,
)

T_SHARE = N_(
    "{fact_id} ({amount}) as a share of {total_id} ({total}), the total procurement of {country} in {year} = {result}."
)
T_SHARE_NONE = N_("No total procurement figure for {country} in {year} was found; no share computed.")


def shares_of_total(parts: pd.DataFrame, totals: pd.DataFrame, rates: Rates) -> pd.DataFrame:
    """Each part (a sub-total such as local-government procurement) as a percentage of each total procurement
    figure of the same country and year. One row per (part, total) pair; a part without a total gets one row with
    an empty share that says so. Totals in another currency are compared at that year's average rate."""
    table = RateIndex.of(rates)
    records = []
    # The totals of each (country, year), in their order in `totals`: found by a lookup, not a scan per part.
    by_country_year: dict[tuple[str, int], list] = {}
    for country, total in zip(totals["country"].astype(str), totals.itertuples(index=False), strict=True):
        year = figure_year(total.period_end, total.period_start, getattr(total, "as_of", None))
        if year is not None:
            by_country_year.setdefault((country, year), []).append(total)
    for part in parts.itertuples(index=False):
        year = figure_year(part.period_end, part.period_start, getattr(part, "as_of", None))
        country = str(part.country)
        name = Term(COUNTRY_NAMES.get(country, country))
        same = by_country_year.get((country, year), []) if year is not None else []
        part_bound = part.bound if isinstance(part.bound, str) else "exact"
        if not same or year is None:
            records.append(
                {
                    "fact_id": part.fact_id,
                    "total_fact_id": None,
                    "year": year,
                    "share": None,
                    "bound": None,
                    "derivation_steps": (Step.of(T_SHARE_NONE, country=name, year=year),),
                }
            )
            continue
        conversions: dict[str, Conversion] = {}  # the part in each total's currency, converted once
        for total in same:
            total_bound = total.bound if isinstance(total.bound, str) else "exact"
            conv = conversions.get(str(total.unit))
            if conv is None:
                conv = conversions[str(total.unit)] = convert_one(
                    str(part.fact_id), float(part.value), str(part.unit), str(total.unit), year, table, part_bound
                )
            if conv.value is None or not total.value:
                records.append(
                    {
                        "fact_id": part.fact_id,
                        "total_fact_id": total.fact_id,
                        "year": year,
                        "share": None,
                        "bound": None,
                        "derivation_steps": conv.steps,
                    }
                )
                continue
            share = 100.0 * conv.value / float(total.value)
            bound = ratio_bound(part_bound, total_bound)
            step = Step.of(
                T_SHARE,
                fact_id=part.fact_id,
                amount=Money(float(part.value), str(part.unit), part_bound),
                total_id=total.fact_id,
                total=Money(float(total.value), str(total.unit), total_bound),
                country=name,
                year=year,
                result=Percent(share),
            )
            steps = (step,) if part.unit == total.unit else (*conv.steps, step)
            records.append(
                {
                    "fact_id": part.fact_id,
                    "total_fact_id": total.fact_id,
                    "year": year,
                    "share": share,
                    "bound": bound,
                    "derivation_steps": steps,
                }
            )
    out = pd.DataFrame.from_records(
        records, columns=["fact_id", "total_fact_id", "year", "share", "bound", "derivation_steps"]
    )
    out["year"] = pd.array(out["year"], dtype="Int64")
    out["share"] = pd.array(out["share"], dtype="Float64")
    out["derivation"] = [render_derivation(s) for s in out["derivation_steps"]]
    return out


# --- the Procurement volumes view ---------------------------------------------------------------------------------

# Whole public sector of each country, and the national sub-totals (local government, regions, state). Regional
# subsets (one county's municipalities) are not national sub-totals and stay out.
TOTAL_METRIC = "procurement_volume"
TOTAL_SUBJECTS: dict[str, str] = {"NO": "no-public-sector", "DK": "dk-public-sector"}
SUBTOTAL_METRICS: tuple[str, ...] = (
    "procurement_volume_local",
    "procurement_volume_regional",
    "procurement_volume_state",
)
SUBTOTAL_SUBJECTS: tuple[str, ...] = (
    "no-local-government",
    "no-state",
    "dk-municipalities",
    "dk-regions",
    "dk-local-government",
    "dk-state",
)
NORMALISATIONS: tuple[str, ...] = ("absolute", "per_inhabitant")
EACH_YEAR = "each"


def _normalised(
    frame: pd.DataFrame, rates: pd.DataFrame, population: pd.DataFrame, currency: str, rate_year: int | None, norm: str
) -> pd.DataFrame:
    converted = per_inhabitant(convert_facts(frame, rates, currency, rate_year), population)
    converted["shown"] = converted["per_inhabitant"] if norm == "per_inhabitant" else converted["converted"]
    return converted


def procurement_totals(
    facts: pd.DataFrame,
    rates: pd.DataFrame,
    population: pd.DataFrame,
    currency: str,
    rate_year: int | None = None,
    norm: str = "absolute",
) -> pd.DataFrame:
    """Every total-procurement figure of both countries (facts joined with sources), converted to `currency` at
    each figure's own year or at `rate_year`, with its per-inhabitant value; `shown` is the value the view plots.
    Ordered by country, year and fact_id. Conflicting figures for a year all stay."""
    subjects = set(TOTAL_SUBJECTS.values())
    totals = facts[(facts["metric"] == TOTAL_METRIC) & facts["subject"].isin(subjects)]
    out = _normalised(totals, rates, population, currency, rate_year, norm)
    return out.sort_values(["country", "year", "fact_id"], ascending=[False, True, True]).reset_index(drop=True)


def procurement_subtotals(
    facts: pd.DataFrame,
    rates: pd.DataFrame,
    population: pd.DataFrame,
    currency: str,
    rate_year: int | None = None,
    norm: str = "absolute",
) -> pd.DataFrame:
    """The national sub-totals (local government, regions, state) treated like `procurement_totals`."""
    subs = facts[facts["metric"].isin(SUBTOTAL_METRICS) & facts["subject"].isin(SUBTOTAL_SUBJECTS)]
    out = _normalised(subs, rates, population, currency, rate_year, norm)
    order = {m: i for i, m in enumerate(SUBTOTAL_METRICS)}
    out = out.assign(_m=out["metric"].map(order))
    return (
        out.sort_values(["country", "_m", "year", "fact_id"], ascending=[False, True, True, True])
        .drop(columns="_m")
        .reset_index(drop=True)
    )


def procurement_chart(
    points: pd.DataFrame,
    country_scale: alt.Scale,
    titles: Mapping[str, str],
    tooltip: Sequence[tuple[str, str]],
    scale: float = 1.0,
) -> alt.Chart:
    """Every figure a point: x its year, y its value (divided by `scale`), colour its country in the one palette,
    shape its bound. No line joins the points, since several sources disagree for the same year.

    `points` needs the columns country_name, year, y and bound_label, plus the (column, title) pairs of
    `tooltip`; `titles` holds the translated titles x, y, country and bound.
    """
    data = points.assign(y=points["y"].astype(float) / scale)
    return (
        alt.Chart(data)
        .mark_point(filled=True, size=90, opacity=0.85)
        .encode(
            x=alt.X("year:Q", title=titles["x"], axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(zero=False)),
            y=alt.Y("y:Q", title=titles["y"], scale=alt.Scale(zero=True)),
            color=alt.Color("country_name:N", scale=country_scale, title=titles["country"]),
            shape=alt.Shape("bound_label:N", title=titles["bound"]),
            tooltip=[alt.Tooltip(col, title=title) for col, title in tooltip],
        )
        .properties(height=380)
    )
