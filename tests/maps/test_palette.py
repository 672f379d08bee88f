"""The maps' colours stay apart: tier fills (markers, cluster pies) never read as a workload band.

ΔE76 in CIELAB, in normal vision and under simulated protanopia and deuteranopia (the same
simulation as the browser test of the workload bands, ``tests/helpers/colour.py``).
"""

from __future__ import annotations

import itertools
import math

import pytest
from helpers.colour import NORMAL, VISIONS, delta_e, hex_rgb, lab, simulate

from routeplan.maps.style import (
    DROPPED_COLOUR,
    FALLBACK_TIER_STYLE,
    RANK_STYLES,
    TIER_STYLES,
    WORKLOAD_BANDS,
)

MIN_DELTA_E = 20.0
"""Smallest ΔE allowed between a tier colour and a workload band or the dropped ring."""
MIN_TIER_DELTA_E = 12.0
"""Smallest ΔE between two tiers (they differ in shape too; the workload bands' threshold)."""
MIN_HUE_GAP = 45.0
"""Smallest hue difference (degrees, CIELAB LCh, normal vision) between a tier colour and a
workload band when both are colourful (chroma over :data:`CHROMATIC`): two blues of different
lightness are still "the blue one" on a map."""
CHROMATIC = 20.0

TIER_COLOURS = sorted({s.colour for s in (*TIER_STYLES.values(), *RANK_STYLES)})
LEGEND_COLOURS = [colour for _bound, colour, _label in WORKLOAD_BANDS] + [DROPPED_COLOUR]


@pytest.mark.parametrize("vision", list(VISIONS))
def test_tier_colours_are_far_from_every_workload_band_and_the_dropped_ring(vision):
    closest = min(
        (delta_e(hex_rgb(t), hex_rgb(w), vision), t, w)
        for t in [*TIER_COLOURS, FALLBACK_TIER_STYLE.colour]
        for w in LEGEND_COLOURS
    )
    assert closest[0] >= MIN_DELTA_E, closest


def _hue_chroma(colour: str) -> tuple[float, float]:
    _lightness, a, b = lab(simulate(hex_rgb(colour), NORMAL))
    return math.degrees(math.atan2(b, a)) % 360, math.hypot(a, b)


def hue_gap(one: str, other: str) -> float:
    """Degrees between the hues of two colourful colours (inf when one is nearly grey)."""
    (h1, c1), (h2, c2) = _hue_chroma(one), _hue_chroma(other)
    if min(c1, c2) < CHROMATIC:
        return math.inf
    gap = abs(h1 - h2) % 360
    return min(gap, 360 - gap)


def test_tier_hues_differ_from_every_workload_band_and_the_dropped_ring():
    closest = min((hue_gap(t, w), t, w) for t in TIER_COLOURS for w in LEGEND_COLOURS)
    assert closest[0] >= MIN_HUE_GAP, closest


@pytest.mark.parametrize("vision", list(VISIONS))
def test_tier_colours_are_far_from_each_other(vision):
    closest = min(
        (delta_e(hex_rgb(a), hex_rgb(b), vision), a, b)
        for a, b in itertools.combinations(TIER_COLOURS, 2)
    )
    assert closest[0] >= MIN_TIER_DELTA_E, closest


def test_the_checks_catch_the_old_tier_colours():
    # tier B was Okabe-Ito blue #0072b2 beside the 70-90 % band's sky blue (15 degrees apart),
    # AAA the over-capacity vermilion itself
    assert hue_gap("#0072b2", WORKLOAD_BANDS[1][1]) < MIN_HUE_GAP
    assert delta_e(hex_rgb("#d55e00"), hex_rgb(WORKLOAD_BANDS[-1][1])) < MIN_DELTA_E
