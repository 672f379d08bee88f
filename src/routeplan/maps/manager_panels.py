"""Panels of the managers' map: dropped visits by reason and rep, the sortable zone table.

Also the small scripts they need: zoom links, sortable tables, zone labels that hide instead
of overlapping, and dropped-visit markers spread apart instead of piling up.
"""

from __future__ import annotations

import math

import pandas as pd
from branca.element import MacroElement
from folium.template import Template

from routeplan.i18n import _, ngettext
from routeplan.maps.base import esc
from routeplan.maps.controls import HtmlControl
from routeplan.maps.scripts import DECLUTTER_JS
from routeplan.model.reasons import reason_texts

DROPPED_GAP_PX = 26
"""Dropped-visit markers (22 px) closer than this on screen are spread apart."""


def _bounds_attr(rows: pd.DataFrame) -> str:
    """``south,west,north,east`` of the rows' points, for a ``data-bounds`` attribute."""
    return ",".join(
        f"{v:.6f}"
        for v in (rows["lat"].min(), rows["lon"].min(), rows["lat"].max(), rows["lon"].max())
    )


def dropped_panel(dropped: pd.DataFrame, rep_names: dict[str, str]) -> HtmlControl:
    """The dropped visits grouped by reason, then by rep, each with its count.

    Every reason and every rep line is a link that zooms the map to those visits.

    Parameters
    ----------
    dropped
        The plan's dropped visits (``rep_id``, ``lat``, ``lon``, ``reason_code``, ``reason``).
    rep_names
        Rep name by ``rep_id``.

    Returns
    -------
    HtmlControl
        A foldable panel (top right), ``.rp-dropped-panel``.

    """
    title = ngettext("{count} visit dropped", "{count} visits dropped", len(dropped))
    if dropped.empty:
        body = f"<p>{esc(_('Every due visit is planned.'))}</p>"
    else:
        sections = []
        texts = reason_texts(dropped["reason_code"], dropped["reason"])
        by_reason = dropped.groupby(pd.Series(texts, index=dropped.index), sort=False)
        for reason, rows in sorted(by_reason, key=lambda item: -len(item[1])):
            reps = []
            by_rep = rows.groupby(rows["rep_id"].astype(str), sort=True)
            for rep_id, rep_rows in sorted(by_rep, key=lambda item: -len(item[1])):
                name = rep_names.get(rep_id, rep_id)
                reps.append(
                    f'<li><a href="#" class="rp-zoom" data-bounds="{_bounds_attr(rep_rows)}">'
                    f"<span>{esc(name)}</span><b>{len(rep_rows)}</b></a></li>"
                )
            sections.append(
                f'<li><a href="#" class="rp-zoom rp-reason-head" '
                f'data-bounds="{_bounds_attr(rows)}"><span>{esc(reason)}</span>'
                f"<b>{len(rows)}</b></a><ul>{''.join(reps)}</ul></li>"
            )
        body = f'<ul class="rp-dropped-list">{"".join(sections)}</ul>'
    return HtmlControl(
        f"<details><summary>{esc(title)}</summary>{body}</details>",
        position="topright",
        css_class="rp-panel rp-dropped-panel",
        open_wide=True,
    )


def _number(value: float, fmt: str) -> tuple[str, str]:
    """(shown text, sort key) of a number; NaN shows empty and sorts first."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "", "-1"
    return fmt.format(value), f"{value:.6f}"


def summary_table_html(stats: pd.DataFrame) -> str:
    """The zones table: sortable by every column (tap a header), rep names, load with dropped.

    Parameters
    ----------
    stats
        From :func:`routeplan.maps.managers.zone_workload`.

    Returns
    -------
    str
        ``<table class="rp-sortable">``; each cell's ``data-sort`` holds its sort key.

    """
    heads = [
        (_("Zone"), "text"),
        (_("Rep"), "text"),
        (_("Visits"), "number"),
        (_("Drive h"), "number"),
        (_("Load"), "number"),
        (_("Dropped"), "number"),
    ]
    head = "".join(
        f'<th data-type="{kind}" aria-sort="none"><button type="button">{esc(label)}</button></th>'
        for label, kind in heads
    )
    rows = []
    for r in stats.itertuples(index=False):
        cells = [
            (esc(r.zone), esc(r.zone)),
            (esc(r.rep_name), esc(r.rep_name)),
            _number(float(r.visits), "{:.0f}"),
            _number(float(r.drive_h), "{:.1f}"),
            _number(float(r.load) * 100 if not math.isnan(r.load) else math.nan, "{:.0f} %"),
            _number(float(r.dropped), "{:.0f}"),
        ]
        over = "" if math.isnan(r.load) or r.load < 1 else ' class="rp-over"'
        rows.append(
            f"<tr{over}>"
            + "".join(f'<td data-sort="{key}">{text}</td>' for text, key in cells)
            + "</tr>"
        )
    return (
        f'<table class="rp-sortable"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


class ManagerScripts(MacroElement):
    """Zoom links, sortable tables, zone labels that never overlap, spread dropped markers."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(){
        {{ this.declutter_js }}
        var map = {{ this._parent.get_name() }};
        var box = map.getContainer();
        box.addEventListener('click', function(event) {
            var link = event.target.closest('[data-bounds]');
            if (!link) { return; }
            event.preventDefault();
            var b = link.dataset.bounds.split(',').map(Number);
            map.fitBounds([[b[0], b[1]], [b[2], b[3]]], {padding: [40, 40], maxZoom: 17});
        });
        box.addEventListener('click', function(event) {
            var head = event.target.closest('table.rp-sortable th');
            if (!head) { return; }
            var table = head.closest('table');
            var index = Array.prototype.indexOf.call(head.parentNode.children, head);
            var up = head.getAttribute('aria-sort') !== 'ascending';
            table.querySelectorAll('th').forEach(function(th) {
                th.setAttribute('aria-sort', 'none');
            });
            head.setAttribute('aria-sort', up ? 'ascending' : 'descending');
            var number = head.dataset.type === 'number';
            var body = table.tBodies[0];
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function(a, b) {
                var x = a.cells[index].dataset.sort, y = b.cells[index].dataset.sort;
                var c = number ? Number(x) - Number(y) : x.localeCompare(y);
                return up ? c : -c;
            });
            rows.forEach(function(row) { body.appendChild(row); });
        });
        var skipped = [{{ this.dropped|join(', ') }}];
        var labels = [{{ this.labels|join(', ') }}];
        var tidy = function() {
            window.rpDeclutter(map, skipped, {{ this.gap_px }});
            // The zones' labels: the busiest zones first; a label overlapping a shown one hides.
            var shown = [];
            labels.forEach(function(marker) {
                var el = marker.getElement && marker.getElement();
                if (!el) { return; }
                el.style.visibility = 'visible';
                var r = el.firstElementChild.getBoundingClientRect();
                var clash = shown.some(function(s) {
                    return r.left < s.right && r.right > s.left &&
                        r.top < s.bottom && r.bottom > s.top;
                });
                if (clash) { el.style.visibility = 'hidden'; } else { shown.push(r); }
            });
        };
        map.on('zoomend', tidy);
        map.on('overlayadd', tidy);
        map.whenReady(tidy);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, *, dropped: list[str], labels: list[str]) -> None:
        super().__init__()
        self._name = "ManagerScripts"
        self.dropped = dropped
        self.labels = labels
        self.gap_px = DROPPED_GAP_PX
        self.declutter_js = DECLUTTER_JS
