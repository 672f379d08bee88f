"""The rep map's "today" view: day tabs, the next-stop card and the sheet with the day's list.

The page decides which day to open when it is opened, not when it is written: today's date
when the week has it, else the week's first workday with visits (``#day=YYYY-MM-DD`` in the
address picks a day, ``#day=all`` the whole week). Choosing a tab shows only that day's layer,
fits the map to its stops (beside the sheet), shows the next stop and the day's list, and
spreads markers that would hide each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from branca.element import MacroElement
from folium.template import Template

from routeplan.maps.scripts import DECLUTTER_JS

MARKER_GAP_PX = 44
"""Stop markers closer than this on screen (on both axes) are spread apart: a marker is 30 px,
a diamond (a square turned 45°) takes 42 px, a finger 44 px."""


@dataclass
class DayView:
    """One tab: a day's layer, where to fit, its next-stop cards and its list."""

    date: str
    tab: str  # escaped HTML of the tab label
    layer: str  # JS name of the day's FeatureGroup
    bounds: list[list[float]]
    markers: list[str] = field(default_factory=list)  # JS names of the stop markers
    cards: list[tuple[str, str]] = field(default_factory=list)  # (depart HH:MM, card HTML)
    body: str = ""  # escaped HTML: the day's list and route links
    keyed: list[tuple[str, str]] = field(default_factory=list)  # (date#seq, marker JS name)


class DayTabs(MacroElement):
    """The tabs bar, the bottom/side sheet and the script choosing the day to show."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(){
        {{ this.declutter_js }}
        var map = {{ this._parent.get_name() }};
        var box = map.getContainer();
        var days = [
        {%- for d in this.days %}
            {date: {{ d.date|tojson }}, layer: {{ d.layer }}, bounds: {{ d.bounds|tojson }},
             markers: [{{ d.markers|join(', ') }}], cards: {{ d.cards|tojson }},
             body: {{ d.body|tojson }}},
        {%- endfor %}
        ];
        var all = {{ this.all_bounds|tojson }};
        var bar = L.DomUtil.create('nav', 'rp-tabs', box);
        bar.setAttribute('role', 'tablist');
        bar.setAttribute('aria-label', {{ this.tabs_label|tojson }});
        bar.innerHTML = {{ this.tabs_html|tojson }};
        var sheet = L.DomUtil.create('section', 'rp-panel rp-sheet', box);
        box.classList.add('rp-has-sheet');
        sheet.innerHTML = {{ this.sheet_html|tojson }};
        [bar, sheet].forEach(function(el) {
            L.DomEvent.disableClickPropagation(el);
            L.DomEvent.disableScrollPropagation(el);
        });
        var wide = function() { return window.innerWidth > {{ this.wide_px }}; };
        if (wide()) { sheet.querySelector('details').open = true; }
        var pad = function() {
            var top = bar.offsetHeight + 16;
            if (wide()) {
                return {paddingTopLeft: [sheet.offsetWidth + 30, top],
                        paddingBottomRight: [30, 30]};
            }
            return {paddingTopLeft: [24, top], paddingBottomRight: [24, sheet.offsetHeight + 24]};
        };
        var pad2 = function(n) { return (n < 10 ? '0' : '') + n; };
        var now = new Date();
        var today = now.getFullYear() + '-' + pad2(now.getMonth() + 1) + '-' + pad2(now.getDate());
        var clock = pad2(now.getHours()) + ':' + pad2(now.getMinutes());
        var allMarkers = [];
        days.forEach(function(d) { allMarkers = allMarkers.concat(d.markers); });
        var shown = [];
        var frame = function() {
            var size = map.getSize();
            var top = bar.offsetHeight + 8;
            if (wide()) { return [sheet.offsetWidth + 8, top, size.x - 8, size.y - 8]; }
            return [8, top, size.x - 8, size.y - sheet.offsetHeight - 8];
        };
        var tidy = function() { window.rpDeclutter(map, allMarkers, {{ this.gap_px }}, frame); };
        var nextCard = function(d) {
            if (!d.cards.length) { return ''; }
            if (d.date !== today) { return d.cards[0][1]; }
            for (var i = 0; i < d.cards.length; i++) {
                if (d.cards[i][0] > clock) { return d.cards[i][1]; }
            }
            return {{ this.day_done|tojson }};
        };
        var show = function(date) {
            var pick = null;
            map.closePopup();
            days.forEach(function(d) {
                var on = date === 'all' || d.date === date;
                if (d.date === date) { pick = d; }
                if (on) { map.addLayer(d.layer); } else { map.removeLayer(d.layer); }
            });
            bar.querySelectorAll('[data-day]').forEach(function(tab) {
                var on = tab.dataset.day === date;
                tab.classList.toggle('rp-on', on);
                tab.setAttribute('aria-selected', on ? 'true' : 'false');
            });
            box.classList.toggle('rp-allweek', date === 'all');
            var todays = days.filter(function(d) { return d.date === today; })[0];
            var cardDay = pick || todays;
            sheet.querySelector('.rp-next').innerHTML = cardDay ? nextCard(cardDay) : '';
            var body = pick ? pick.body : {{ this.week_body|tojson }};
            sheet.querySelector('.rp-day').innerHTML = body;
            var bounds = pick && pick.bounds.length ? pick.bounds : all;
            if (bounds.length) {
                var opts = pad();
                opts.animate = false;
                opts.maxZoom = 17;
                map.fitBounds(bounds, opts);
            }
            box.style.setProperty('--rp-sheet', (wide() ? 0 : sheet.offsetHeight) + 'px');
            shown = date;
            box.dataset.day = date;
            tidy();
        };
        bar.addEventListener('click', function(event) {
            var tab = event.target.closest('[data-day]');
            if (!tab) { return; }
            event.preventDefault();
            show(tab.dataset.day);
            if (history.replaceState) { history.replaceState(null, '', '#day=' + tab.dataset.day); }
        });
        var targets = {
        {%- for key, date, marker in this.targets %}
            {{ key|tojson }}: [{{ date|tojson }}, {{ marker }}],
        {%- endfor %}
        };
        sheet.addEventListener('click', function(event) {
            var link = event.target.closest('[data-stop]');
            if (!link || !(link.dataset.stop in targets)) { return; }
            event.preventDefault();
            var target = targets[link.dataset.stop];
            if (shown !== 'all' && shown !== target[0]) { show(target[0]); }
            map.setView(target[1].getLatLng(), Math.max(map.getZoom(), 15), {animate: false});
            target[1].openPopup();
        });
        map.on('zoomend', tidy);
        var asked = (location.hash.match(/day=([0-9a-z-]+)/) || [])[1];
        var known = function(date) {
            return date === 'all' || days.some(function(d) { return d.date === date; });
        };
        var busy = days.filter(function(d) { return d.cards.length; });
        var first = busy.length ? busy[0].date : (days.length ? days[0].date : 'all');
        var start = known(today) ? today : first;
        if (asked && known(asked)) { start = asked; }
        box.dataset.today = today;
        box.dataset.opened = start;
        show(start);
        window.rpShowDay = show;
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        days: list[DayView],
        *,
        all_bounds: list[list[float]],
        tabs_html: str,
        sheet_html: str,
        week_body: str,
        day_done: str,
        tabs_label: str,
        wide_px: int = 700,
    ) -> None:
        super().__init__()
        self._name = "DayTabs"
        self.days = days
        self.all_bounds = all_bounds
        self.tabs_html = tabs_html
        self.sheet_html = sheet_html
        self.week_body = week_body
        self.day_done = day_done
        self.tabs_label = tabs_label
        self.wide_px = wide_px
        self.gap_px = MARKER_GAP_PX
        self.declutter_js = DECLUTTER_JS
        self.targets = [(key, d.date, marker) for d in days for key, marker in d.keyed]


def bounds_of(points: list[tuple[float, float]]) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of the points, or ``[]`` when there are none."""
    if not points:
        return []
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]
