"""The What-if's charts (Altair): the cumulative savings band against the cost, and the sensitivity (tornado)
chart of which input moves the result most."""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import pandas as pd

from comparisons.outputs.palette import BAND_FILL, COUNTRY_COLOURS, LOWER_HIGHER, NEUTRAL

# --- charts (Altair) ---------------------------------------------------------------------------------------------


MILLION = 1_000_000.0


def band_frame(projection: pd.DataFrame, labels: dict[str, str], divisor: float = MILLION) -> pd.DataFrame:
    """Long frame for the band chart: one row per year and series (low-high band, central, cost), money / divisor."""
    money = ["cum_savings_low", "cum_savings_central", "cum_savings_high", "cum_cost"]
    base = projection[["year", *money]].copy()
    base[money] = base[money] / divisor
    band = base.assign(series=labels["band"], value=base["cum_savings_central"])
    central = base.assign(series=labels["central"], value=base["cum_savings_central"])
    cost = base.assign(series=labels["cost"], value=base["cum_cost"])
    return pd.concat([band, central, cost], ignore_index=True)


def band_chart(
    projection: pd.DataFrame, labels: dict[str, str], note: str, divisor: float = MILLION
) -> alt.LayerChart | alt.FacetChart:
    """Cumulative savings as a low-high band with the central line, and cumulative cost as a dashed line.

    Money is shown divided by `divisor` (millions by default; say so in labels["y"]). `labels`: title, x, y, band,
    central, cost, low, high, source (all translated); `note` names the sources of the ratios, in every tooltip.
    """
    data = band_frame(projection, labels, divisor).assign(note=note)
    colour = alt.Scale(
        domain=[labels["band"], labels["central"], labels["cost"]],
        range=[BAND_FILL, COUNTRY_COLOURS["DK"], NEUTRAL],
    )
    legend = alt.Legend(orient="bottom", direction="horizontal", labelLimit=280, title=None)
    x = alt.X("year:Q", title=labels["x"], axis=alt.Axis(format="d", tickMinStep=1))
    tooltip = [
        alt.Tooltip("year:Q", title=labels["x"], format="d"),
        alt.Tooltip("cum_savings_low:Q", title=labels["low"], format=",.1f"),
        alt.Tooltip("cum_savings_central:Q", title=labels["central"], format=",.1f"),
        alt.Tooltip("cum_savings_high:Q", title=labels["high"], format=",.1f"),
        alt.Tooltip("cum_cost:Q", title=labels["cost"], format=",.1f"),
        alt.Tooltip("note:N", title=labels.get("source", "Source")),
    ]
    area = (
        alt.Chart(data[data["series"] == labels["band"]])
        .mark_area(opacity=0.7)
        .encode(
            x=x,
            y=alt.Y("cum_savings_low:Q", title=labels["low"], axis=alt.Axis(format=",.0f", title=labels["y"])),
            y2=alt.Y2("cum_savings_high:Q", title=labels["high"]),
            color=alt.Color("series:N", title=labels["series"], scale=colour, legend=legend),
            tooltip=tooltip,
        )
    )
    # The band's light fill is below 3:1 on white; its low and high edges, dotted in the Danish colour, carry it.
    band_rows = alt.Chart(data[data["series"] == labels["band"]])
    edges = [
        band_rows.mark_line(color=COUNTRY_COLOURS["DK"], strokeDash=[2, 2], strokeWidth=1.5).encode(
            x=x, y=alt.Y(f"{field}:Q", title=labels[bound], axis=alt.Axis(title=labels["y"])), tooltip=tooltip
        )
        for field, bound in (("cum_savings_low", "low"), ("cum_savings_high", "high"))
    ]
    lines = (
        alt.Chart(data[data["series"] != labels["band"]])
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=labels["y"]),
            color=alt.Color("series:N", title=labels["series"], scale=colour, legend=legend),
            strokeDash=alt.condition(alt.datum.series == labels["cost"], alt.value([6, 4]), alt.value([1, 0])),
            tooltip=tooltip,
        )
    )
    return alt.layer(area, *edges, lines).properties(title=labels["title"], height=320)


def tornado_frame(
    sens: pd.DataFrame, gettext: Callable[[str], str], fmt: Callable[[str, float], str], labels: dict[str, str]
) -> pd.DataFrame:
    """Long frame for the tornado chart: two bars per input (lower and higher variant) with readable values."""
    records = []
    for _, row in sens.iterrows():
        name = gettext(row["label"])
        for side in ("low", "high"):
            records.append(
                {
                    "input": name,
                    "variant": labels[side],
                    "value": fmt(row["input"], row[f"{side}_value"]),
                    "base": fmt(row["input"], row["base_value"]),
                    "change": float(row[f"delta_{side}"]),
                    "bodies_change": float(row[f"bodies_delta_{side}"]),
                }
            )
    return pd.DataFrame.from_records(records, columns=["input", "variant", "value", "base", "change", "bodies_change"])


def tornado_chart(frame: pd.DataFrame, labels: dict[str, str], note: str, divisor: float = MILLION) -> alt.Chart:
    """Horizontal bars from zero: the change in cumulative net benefit when each input moves down or up alone.

    Money is divided by `divisor` (millions by default; say so in labels["x"]).
    """
    order = list(dict.fromkeys(frame["input"]))
    data = frame.assign(note=note, change=frame["change"] / divisor)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("input:N", sort=order, title=labels["input"], axis=alt.Axis(labelLimit=260, title=None)),
            x=alt.X("change:Q", title=labels["x"], axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "variant:N",
                title=labels["variant"],
                scale=alt.Scale(domain=[labels["low"], labels["high"]], range=list(LOWER_HIGHER)),
                legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400, title=None),
            ),
            yOffset=alt.YOffset("variant:N", title=labels["variant"]),
            tooltip=[
                alt.Tooltip("input:N", title=labels["input"]),
                alt.Tooltip("variant:N", title=labels["variant"]),
                alt.Tooltip("value:N", title=labels["value"]),
                alt.Tooltip("base:N", title=labels["base"]),
                alt.Tooltip("change:Q", title=labels["x"], format=",.1f"),
                alt.Tooltip("bodies_change:Q", title=labels["bodies"], format=",.1f"),
                alt.Tooltip("note:N", title=labels.get("source", "Source")),
            ],
        )
        .properties(title=labels["title"], height=alt.Step(18))
    )
