"""Colour checks of the maps' palettes: CIELAB ΔE76 in normal and simulated colour-blind vision."""

from __future__ import annotations

import math

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
CVD_MATRICES = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
}
NORMAL = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
VISIONS = {"normal": NORMAL, **CVD_MATRICES}
"""Normal vision and the two simulated red-green deficiencies."""


def hex_rgb(colour: str) -> tuple[int, int, int]:
    """``"#0072b2"`` as ``(0, 114, 178)``."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    """CIELAB (D65) of a linear-RGB colour."""
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def simulate(rgb: tuple[int, int, int], matrix) -> tuple[float, float, float]:
    """A colour (0–255 sRGB) as seen through ``matrix``, in linear RGB."""
    lin = [_linear(c / 255) for c in rgb]
    out = [min(max(sum(m * c for m, c in zip(row, lin, strict=True)), 0.0), 1.0) for row in matrix]
    return out[0], out[1], out[2]


def delta_e(a: tuple[int, int, int], b: tuple[int, int, int], vision: str = "normal") -> float:
    """ΔE76 between two sRGB colours as seen with ``vision`` (a key of :data:`VISIONS`)."""
    matrix = VISIONS[vision]
    return math.dist(lab(simulate(a, matrix)), lab(simulate(b, matrix)))
