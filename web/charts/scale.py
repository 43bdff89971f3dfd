"""Value scales of the charts: round tick steps (1-2-2.5-5 times a power of ten) and the
mapping from a value to a pixel position."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


def nice_step(span: float, intervals: int = 4, *, whole: bool = False) -> float:
    """The smallest round step (1, 2, 2.5 or 5 times a power of ten) that cuts ``span`` into
    at most ``intervals`` parts; at least 1 when ``whole`` (counts, years)."""
    if span <= 0:
        return 1.0
    raw = span / intervals
    power = 10 ** math.floor(math.log10(raw))
    step = float(next(factor * power for factor in STEPS if factor * power >= raw * (1 - 1e-9)))
    if whole:
        step = max(1.0, float(math.ceil(step)))
    return step


@dataclass(frozen=True)
class Scale:
    """A linear scale from ``low`` to ``high`` with round ticks, drawn from ``start`` over
    ``length`` pixels (upwards when ``flipped``, as a vertical axis is)."""

    low: float
    high: float
    step: float
    start: float
    length: float
    flipped: bool = False

    def at(self, value: float) -> float:
        """The pixel position of ``value``."""
        share = (value - self.low) / ((self.high - self.low) or 1.0)
        offset = self.length * (1 - share if self.flipped else share)
        return round(self.start + offset, 1)

    def ticks(self) -> list[float]:
        """The tick values from low to high, every step."""
        count = round((self.high - self.low) / self.step)
        return [round(self.low + self.step * index, 6) for index in range(count + 1)]


def share_scale(values: Sequence[float], start: float, length: float, **kw: bool) -> Scale:
    """A scale for shares in percent: 0 to 100 in steps of 25 (wider only if values leave it)."""
    low = min([0.0, *values])
    high = max([100.0, *values])
    if low == 0.0 and high == 100.0:
        return Scale(0.0, 100.0, 25.0, start, length, **kw)
    return value_scale(values, start, length, **kw)


def value_scale(
    values: Sequence[float],
    start: float,
    length: float,
    *,
    whole: bool = False,
    flipped: bool = False,
) -> Scale:
    """A scale from 0 (or below, for negative values) to a round value at or above the top."""
    low = min([0.0, *values])
    high = max([*values, 0.0])
    if high == low:
        high = low + 1.0
    step = nice_step(high - low, whole=whole)
    return Scale(
        math.floor(low / step) * step,
        math.ceil(high / step) * step,
        step,
        start,
        length,
        flipped,
    )


def places(step: float) -> int:
    """Decimals a tick label needs for this step (0 for 25, 1 for 2.5, 2 for 0.25)."""
    for decimals in range(4):
        if abs(step * 10**decimals - round(step * 10**decimals)) < 1e-9:
            return decimals
    return 3
