"""Geometry of the log's charts, drawn as inline SVG by the templates (no JavaScript needed)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from letdown.domain.choices import Units
from letdown.domain.sessions import DayStats
from letdown.domain.units import ml_to_oz

WIDTH = 360
HEIGHT = 150
LEFT = 34  # room for the axis labels
RIGHT = 18  # room for the last day's label
BOTTOM = 16


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    cls: str
    title: str


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    ticks: list[tuple[float, str]]  # (y, label)
    labels: list[tuple[float, str]]  # (x, day label)
    width: int = WIDTH
    height: int = HEIGHT


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    power: float = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _frame(
    days: list[DayStats], top: float
) -> tuple[float, list[tuple[float, str]], list[tuple[float, str]]]:
    plot_w = WIDTH - LEFT - RIGHT
    slot = plot_w / max(len(days), 1)
    ticks = [(HEIGHT - BOTTOM - (HEIGHT - BOTTOM - 6) * f, f"{top * f:g}") for f in (0, 0.5, 1)]
    every = max(1, len(days) // 7)
    labels = [
        (LEFT + slot * i + slot / 2, d.day.strftime("%d %b"))
        for i, d in enumerate(days)
        if (len(days) - 1 - i) % every == 0
    ]
    return slot, ticks, labels


def volume_chart(days: list[DayStats], units: Units) -> Chart:
    """Daily volume stacked by side: left, right, passive."""

    def conv(ml: float) -> float:
        return ml_to_oz(ml) if units is Units.OZ else ml

    top = _nice_max(max((conv(d.total_ml) for d in days), default=0))
    slot, ticks, labels = _frame(days, top)
    scale = (HEIGHT - BOTTOM - 6) / top
    bars: list[Bar] = []
    for i, d in enumerate(days):
        y: float = HEIGHT - BOTTOM
        for value, cls, name in (
            (d.left_ml, "l", "left"),
            (d.right_ml, "r", "right"),
            (d.passive_ml, "p", "passive"),
        ):
            h = conv(value) * scale
            if h <= 0:
                continue
            y -= h
            shown = f"{conv(value):.1f} oz" if units is Units.OZ else f"{value:g} ml"
            bars.append(
                Bar(
                    LEFT + slot * i + slot * 0.1,
                    round(y, 1),
                    round(slot * 0.8, 1),
                    round(h, 1),
                    cls,
                    f"{d.day}: {name} {shown}",
                )
            )
    return Chart(bars, ticks, labels)


def sessions_chart(days: list[DayStats]) -> Chart:
    """Sessions per day."""
    most = max((d.sessions for d in days), default=0)
    top = float(max(2, most + most % 2))  # even, so the middle tick is a whole number
    slot, ticks, labels = _frame(days, top)
    scale = (HEIGHT - BOTTOM - 6) / top
    bars = [
        Bar(
            LEFT + slot * i + slot * 0.1,
            round(HEIGHT - BOTTOM - d.sessions * scale, 1),
            round(slot * 0.8, 1),
            round(d.sessions * scale, 1),
            "s",
            f"{d.day}: {d.sessions} session{'s' if d.sessions != 1 else ''}",
        )
        for i, d in enumerate(days)
        if d.sessions
    ]
    return Chart(bars, ticks, labels)
