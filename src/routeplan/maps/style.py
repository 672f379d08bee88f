"""Colours, marker shapes and the CSS the maps share.

Tier colours and shapes, day colours and workload bands are named constants so a reader can
change the look in one place. Colours follow the Okabe–Ito palette where possible, and every
tier has a shape as well as a colour, so the maps stay readable for colour-blind users. Tier
colours (purple, pink, green, near-black) share no hue with the workload bands (light blue, sky
blue, yellow, vermilion) or the dropped ring: a tier's pie slice never reads as a zone's load
(``tests/maps/test_palette.py`` checks ΔE in normal and simulated red-green-blind vision).
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

from routeplan.i18n import N_, Msgid, _, translate


@dataclass(frozen=True)
class TierStyle:
    """How one tier is drawn: fill colour, marker shape and a short legend label."""

    colour: str
    shape: str  # one of MARKER_SHAPES
    label: str


MARKER_SHAPES: tuple[str, ...] = ("diamond", "square", "circle", "triangle")
"""Shapes a stop marker can take (CSS classes ``rp-<shape>``)."""

TIER_STYLES: dict[str, TierStyle] = {
    "AAA": TierStyle("#762a83", "diamond", "AAA: key account"),
    "AA": TierStyle("#cc79a7", "square", "AA"),
    "A": TierStyle("#009e73", "circle", "A"),
    "B": TierStyle("#222222", "triangle", "B"),
    # Labels of the volume × margin matrix rule (config: tiers.matrix.labels).
    "top": TierStyle("#762a83", "diamond", "top: high volume, high margin"),
    "operational": TierStyle("#cc79a7", "square", "operational: high volume, low margin"),
    "growth": TierStyle("#009e73", "circle", "growth: low volume, high margin"),
    "low": TierStyle("#222222", "triangle", "low"),
}
"""Style of each known tier name (Pareto tiers and the matrix rule's default labels)."""

TIER_DESCRIPTIONS: dict[str, Msgid] = {
    "AAA": N_("AAA: key account"),
    "top": N_("top: high volume, high margin"),
    "operational": N_("operational: high volume, low margin"),
    "growth": N_("growth: low volume, high margin"),
}
"""Legend text of the known tier names that need more than the name (translated when shown)."""

RANK_STYLES: tuple[TierStyle, ...] = (
    TierStyle("#762a83", "diamond", ""),
    TierStyle("#cc79a7", "square", ""),
    TierStyle("#009e73", "circle", ""),
    TierStyle("#222222", "triangle", ""),
)
"""Style of a configured tier name (``[tiers] order``, e.g. ``Platino/Oro/Plata/Bronce``) by
its rank: the first is drawn as ``AAA`` is, the fourth and later as ``B``."""

FALLBACK_TIER_STYLE = TierStyle("#6c757d", "circle", "other")
"""Style of any tier name not in :data:`TIER_STYLES` (its label is the tier name)."""

DAY_COLOURS: dict[str, str] = {
    "Mon": "#332288",
    "Tue": "#aa4499",
    "Wed": "#117733",
    "Thu": "#882255",
    "Fri": "#997700",
    "Sat": "#44aa99",
    "Sun": "#555555",
}
"""Colour of each weekday's route and layer on the rep week map (Paul Tol's muted scheme,
none equal to a tier's fill; days are told apart by their dash pattern and label too)."""

DAY_DASHES: dict[str, str | None] = {
    "Mon": None,
    "Tue": "12 6",
    "Wed": "2 7",
    "Thu": "14 5 2 5",
    "Fri": "6 6",
    "Sat": "2 4 8 4",
    "Sun": "1 3",
}
"""SVG dash pattern of each weekday's route line (None: solid)."""

REP_COLOURS: tuple[str, ...] = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
)
"""Route colours of reps on the managers' map, cycled in rep order."""

WORKLOAD_BANDS: tuple[tuple[float, str, Msgid], ...] = (
    (0.70, "#deebf7", N_("under 70% of capacity")),
    (0.90, "#56b4e9", N_("70–90% of capacity")),
    (1.00, "#f0e442", N_("90–100% of capacity")),
    (math.inf, "#d55e00", N_("over capacity")),
)
"""Zone fill by (planned + dropped-for-capacity work) / capacity: (upper bound, colour, legend
label to translate).

Pale blue, sky blue, yellow and vermillion (Okabe–Ito) differ in lightness and along the
blue–yellow axis, which protanopes and deuteranopes keep: the browser test checks the bands
stay apart under simulated protanopia and deuteranopia.
"""

NO_WORKLOAD_COLOUR = "#d9d9d9"
"""Fill of a zone with no rep or no capacity."""

DROPPED_COLOUR = "#c00000"
"""Ring colour of dropped visits."""

ZONE_OUTLINE_COLOUR = "#333333"
"""Outline of the rep's zone on the rep week map."""

OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
"""Attribution required by the OpenStreetMap tile usage policy (ODbL data)."""

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
"""Standard OpenStreetMap raster tiles."""


def tier_style(tier: str, order: Sequence[str] = ()) -> TierStyle:
    """Style of a tier: known name, else its rank in ``order``, else a grey circle.

    Parameters
    ----------
    tier
        Tier name such as ``"AAA"``, ``"growth"`` or ``"Oro"``.
    order
        The configured tier names, highest priority first (``Settings.tier_names``).

    Returns
    -------
    TierStyle
        The tier's colour, shape and legend label.

    """
    style = TIER_STYLES.get(tier)
    if style is not None:
        return style
    if tier in order:
        rank = RANK_STYLES[min(list(order).index(tier), len(RANK_STYLES) - 1)]
        return TierStyle(rank.colour, rank.shape, str(tier))
    return TierStyle(FALLBACK_TIER_STYLE.colour, FALLBACK_TIER_STYLE.shape, str(tier))


def day_colour(day: str) -> str:
    """Colour of a weekday (``"Mon"``..``"Sun"``); grey for anything else."""
    return DAY_COLOURS.get(day, "#7f7f7f")


def day_dash(day: str) -> str | None:
    """SVG dash pattern of a weekday's route line; None for a solid line."""
    return DAY_DASHES.get(day)


def workload_colour(ratio: float | None) -> str:
    """Zone fill for planned hours / capacity (None or NaN: no capacity known)."""
    if ratio is None or math.isnan(ratio):
        return NO_WORKLOAD_COLOUR
    for upper, colour, _label in WORKLOAD_BANDS:
        if ratio < upper:
            return colour
    return WORKLOAD_BANDS[-1][1]


def tier_label(tier: str) -> str:
    """The legend text of a tier in the active language: its description or its name."""
    description = TIER_DESCRIPTIONS.get(tier)
    return str(tier) if description is None else translate(description)


def marker_html(
    tier: str,
    *,
    text: str = "",
    ring: str | None = None,
    kind: str = "stop",
    key: str = "",
    order: Sequence[str] = (),
) -> str:
    """HTML of a tier-shaped marker (used inside a Leaflet ``divIcon``).

    Parameters
    ----------
    tier
        Tier name; picks colour and shape.
    text
        Label inside the marker (the stop number), may be empty.
    ring
        Border colour (the day's colour on the rep map); white when None.
    kind
        CSS class suffix: ``"stop"`` (numbered, large) or ``"client"`` (small dot).
    key
        Written as ``data-key`` so tests and scripts can find the marker (e.g. ``date#seq``).
    order
        The configured tier names, for tiers styled by rank (see :func:`tier_style`).

    Returns
    -------
    str
        A ``<div>`` with classes ``rp-<kind> rp-<shape>``.

    """
    style = tier_style(tier, order)
    ring_colour = ring or "#ffffff"
    data_key = f' data-key="{html.escape(key)}"' if key else ""
    return (
        f'<div class="rp-{kind} rp-{style.shape}" data-tier="{html.escape(str(tier))}"{data_key} '
        f'style="--tier:{style.colour};--ring:{ring_colour}"><span>{html.escape(text)}</span></div>'
    )


def home_icon_html() -> str:
    """The rep's home marker, its title in the active language."""
    return (
        f'<div class="rp-home" title="{html.escape(_("Home"))}"><svg viewBox="0 0 24 24" '
        'width="22" height="22" aria-hidden="true"><path d="M12 3 2 12h3v8h5v-5h4v5h5v-8h3z" '
        'fill="#222" stroke="#fff" stroke-width="1.5"/></svg></div>'
    )


MAP_CSS = """
.rp-stop, .rp-client { display:flex; align-items:center; justify-content:center;
  box-sizing:border-box; background:var(--tier); color:#fff; font:bold 12px/1 sans-serif;
  border:3px solid var(--ring); box-shadow:0 1px 3px rgba(0,0,0,.5); }
.rp-stop { width:30px; height:30px; font-size:13px; }
.rp-hit { display:flex; align-items:center; justify-content:center; }
.rp-allweek .rp-stop span { visibility:hidden; }
.rp-client { width:12px; height:12px; border-width:1px; }
.rp-circle { border-radius:50%; }
.rp-square { border-radius:3px; }
.rp-diamond { transform:rotate(45deg); border-radius:3px; }
.rp-diamond span { transform:rotate(-45deg); }
.rp-triangle { position:relative; background:none; border:none; box-shadow:none;
  align-items:flex-end; padding-bottom:2px;
  filter:drop-shadow(0 0 1px var(--ring)) drop-shadow(0 0 1px var(--ring))
    drop-shadow(0 0 1px var(--ring)) drop-shadow(0 1px 2px rgba(0,0,0,.5)); }
.rp-triangle::before { content:""; position:absolute; inset:0; background:var(--tier);
  clip-path:polygon(50% 0, 100% 100%, 0 100%); }
.rp-triangle span { position:relative; }
.rp-client.rp-triangle { padding-bottom:0; filter:drop-shadow(0 0 .5px var(--ring)); }
.rp-zone-label { font:bold 13px/1.15 system-ui, sans-serif; color:#222; text-align:center;
  text-shadow:0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; pointer-events:none; }
.rp-home { filter:drop-shadow(0 1px 2px rgba(0,0,0,.6)); }
.rp-dropped { width:22px; height:22px; box-sizing:border-box; border-radius:50%;
  border:4px solid #c00000; background:rgba(255,255,255,.7); color:#c00000;
  font:bold 13px/14px sans-serif; text-align:center; }
.rp-panel, .rp-legend { background:rgba(255,255,255,.95); padding:6px 8px; border-radius:6px;
  box-shadow:0 1px 5px rgba(0,0,0,.4); font:13px/1.35 system-ui, sans-serif; color:#222; }
.rp-panel { max-width:min(420px, 86vw); max-height:60vh; overflow:auto; }
.rp-panel summary, .rp-legend summary { font-weight:bold; cursor:pointer; }
.rp-panel table { border-collapse:collapse; margin:4px 0; width:100%; }
.rp-panel th, .rp-panel td { padding:2px 4px; text-align:right; white-space:nowrap; }
.rp-panel th:first-child, .rp-panel td:first-child { text-align:left; }
.rp-panel tr.rp-total td { border-top:1px solid #999; font-weight:bold; }
.rp-panel h4 { margin:8px 0 2px; font-size:13px; }
.rp-panel ol { margin:0; padding-left:22px; }
.rp-panel a.rp-stop-link { color:#222; text-decoration:none; }
.rp-panel a.rp-stop-link:hover { text-decoration:underline; }
.rp-panel a.rp-gmaps { display:inline-block; margin:2px 6px 2px 0; padding:3px 6px;
  border-radius:4px; background:#1a73e8; color:#fff; text-decoration:none; font-size:12px; }
.rp-swatch { display:inline-block; width:12px; height:12px; margin-right:4px;
  vertical-align:middle; border:1px solid #555; }
.rp-legend-row { display:flex; align-items:center; gap:6px; margin:2px 0; }
.rp-legend-row .rp-stop { width:16px; height:16px; border-width:2px; font-size:9px; }
.rp-line { display:inline-block; width:18px; height:4px; vertical-align:middle; }
.rp-popup table { border-collapse:collapse; }
.rp-popup th { text-align:left; padding:1px 8px 1px 0; color:#555; font-weight:normal; }
.rp-popup td { padding:1px 0; }
.rp-popup .rp-reason { color:#a04000; }
.rp-locate-icon::before { content:"\\25CE"; font-size:20px; line-height:30px; color:#333; }
.leaflet-control-layers-list { max-height:45vh; overflow:auto; }
.leaflet-touch .leaflet-bar a, .leaflet-bar a { width:44px; height:44px; line-height:44px; }
.leaflet-control-locate a { width:44px; height:44px; }
.rp-locate-icon::before { line-height:44px; }
.leaflet-control-layers-toggle { width:44px !important; height:44px !important; }
.leaflet-control-layers label { min-height:44px; display:flex; align-items:center; }
.leaflet-popup-close-button { width:44px !important; height:44px !important;
  font-size:24px !important; line-height:44px !important; }
.leaflet-popup-content { max-width:calc(100vw - 70px); }
.rp-legend summary, .rp-panel summary { min-height:44px; display:flex; align-items:center; }
.rp-tabs { position:absolute; top:0; left:0; right:0; z-index:1000; display:flex; gap:4px;
  overflow-x:auto; padding:4px; background:rgba(255,255,255,.96);
  box-shadow:0 1px 4px rgba(0,0,0,.35); font:14px/1.1 system-ui, sans-serif; }
.rp-tab { flex:1 0 auto; min-width:56px; min-height:48px; border:2px solid #888;
  border-radius:8px; background:#fff; color:#222; font:inherit; cursor:pointer;
  display:flex; flex-direction:column; align-items:center; justify-content:center; }
.rp-tab .rp-count { font-size:12px; color:#444; }
.rp-tab.rp-on { background:#222; border-color:#222; color:#fff; }
.rp-tab.rp-on .rp-count { color:#fff; }
.rp-has-sheet .leaflet-top { top:60px; }
.rp-sheet { position:absolute; z-index:999; left:0; right:0; bottom:0; max-height:45vh;
  overflow:auto; border-radius:12px 12px 0 0; max-width:none; padding:8px 10px;
  font:14px/1.35 system-ui, sans-serif; }
.rp-has-sheet .leaflet-bottom.leaflet-left { display:none; }
.rp-has-sheet .leaflet-bottom { bottom:var(--rp-sheet, 0px); }
.rp-sheet-head { font-weight:bold; margin-bottom:4px; }
.rp-next-head { font-weight:bold; color:#fff; background:#222; border-radius:6px;
  padding:6px 8px; margin-bottom:6px; }
.rp-card h3 { margin:2px 0; font-size:16px; }
.rp-card small { color:#555; font-weight:normal; }
.rp-card table { border-collapse:collapse; width:100%; }
.rp-card th { text-align:left; color:#555; font-weight:normal; padding:1px 8px 1px 0; }
.rp-card td { text-align:left; white-space:normal; }
.rp-address { margin:2px 0 4px; }
.rp-no-address a { color:#a04000; }
.rp-num { display:inline-block; min-width:22px; padding:0 4px; border-radius:11px;
  background:#222; color:#fff; text-align:center; font-weight:bold; }
.rp-actions, .rp-daylinks { display:flex; flex-wrap:wrap; gap:6px; margin:6px 0; }
.rp-daylinks p { flex-basis:100%; margin:4px 0 0; }
.rp-btn { display:inline-flex; align-items:center; justify-content:center; min-height:44px;
  min-width:44px; padding:0 12px; border-radius:8px; background:#1a73e8; color:#fff !important;
  text-decoration:none; font:bold 14px system-ui, sans-serif; box-sizing:border-box; }
.rp-btn.rp-tel { background:#117733; }
.rp-btn.rp-nav-alt { background:#fff; color:#1a4fa0 !important; border:2px solid #1a4fa0; }
html:not(.rp-apple) .rp-btn[data-nav="apple"], html:not(.rp-mobile) .rp-btn[data-nav="waze"] {
  display:none; }
.rp-daylist { list-style:none; margin:0; padding:0; }
.rp-daylist li a { display:flex; align-items:center; gap:8px; min-height:44px; color:#222;
  text-decoration:none; border-bottom:1px solid #ddd; }
.rp-daylist .rp-time { font-variant-numeric:tabular-nums; }
.rp-daylist .rp-name { flex:1; }
.rp-daylist .rp-tier { color:#555; font-size:12px; }
.rp-daylist li.rp-break { min-height:32px; display:flex; align-items:center; color:#555;
  font-style:italic; border-bottom:1px solid #ddd; }
.rp-reason { color:#a04000; }
.rp-notes { background:#fff8e1; padding:4px 6px; border-radius:4px; }
.rp-dash { flex:none; }
.rp-cluster div { width:100%; height:100%; border-radius:50%; box-sizing:border-box;
  border:3px solid #222; display:flex; align-items:center; justify-content:center;
  box-shadow:0 1px 4px rgba(0,0,0,.5); }
.rp-cluster span { background:#222; color:#fff; border-radius:10px; padding:1px 5px;
  font:bold 12px/1.2 system-ui, sans-serif; }
.rp-dropped-panel { max-width:min(360px, 80vw); max-height:50vh; overflow:auto; }
.rp-dropped-list, .rp-dropped-list ul { list-style:none; margin:0; padding:0; }
.rp-dropped-list ul { padding-left:12px; }
.rp-zoom { display:flex; align-items:center; justify-content:space-between; gap:8px;
  min-height:44px; color:#222; text-decoration:none; border-bottom:1px solid #ddd; }
.rp-zoom b { background:#c00000; color:#fff; border-radius:10px; padding:1px 7px; }
.rp-reason-head span { font-weight:bold; }
.rp-summary { max-height:45vh; overflow:auto; }
.rp-sortable th button { min-height:44px; border:none; background:none; font:inherit;
  font-weight:bold; cursor:pointer; padding:0 2px; }
.rp-sortable th[aria-sort="ascending"] button::after { content:" ▲"; }
.rp-sortable th[aria-sort="descending"] button::after { content:" ▼"; }
.rp-sortable tr.rp-over td { color:#a33a00; font-weight:bold; }
@media (min-width: 701px) {
  .rp-sheet { top:60px; right:auto; width:380px; max-height:none; border-radius:0 12px 0 0; }
}
@media (max-width: 600px) {
  .rp-panel:not(.rp-sheet) { max-height:40vh; font-size:13px; }
  .rp-summary { max-width:calc(100vw - 130px); }
  .leaflet-control-scale { display:none; }
  .rp-legend { font-size:12px; }
}
"""
"""CSS of markers, panels and legends; rendered once into each map's header."""
