"""Small Folium elements the maps add: shared CSS, HTML panels as Leaflet controls.

They need no extra JavaScript library, so they work wherever Leaflet itself runs.
"""

from __future__ import annotations

from typing import Any

from branca.element import Element, Figure, MacroElement
from folium.map import LayerControl
from folium.plugins import MarkerCluster
from folium.template import Template

from routeplan.maps.style import MAP_CSS

PLATFORM_JS = """(function () {
    // Which navigation apps this device has: Apple Maps on iPhone, iPad and Mac, Waze on
    // phones and tablets. The CSS shows their links only then (Google Maps everywhere).
    var ua = navigator.userAgent || '', root = document.documentElement;
    var ipad = /Macintosh/.test(ua) && navigator.maxTouchPoints > 1;
    var ios = /iPhone|iPad|iPod/.test(ua) || ipad;
    if (ios || /Macintosh|Mac OS X/.test(ua)) { root.classList.add('rp-apple'); }
    if (ios || /Android|Mobile/.test(ua)) { root.classList.add('rp-mobile'); }
})();"""
"""Marks ``<html>`` with ``rp-apple`` (iOS, iPadOS, macOS) and ``rp-mobile`` (phones and
tablets) from the user agent, before the page's body is drawn."""


class MapCss(MacroElement):
    """Adds the markers', panels' and legends' CSS (:data:`MAP_CSS`) to the page header.

    With it comes :data:`PLATFORM_JS`, so links to Apple Maps and Waze show only on the
    devices that have them.
    """

    def __init__(self, css: str = MAP_CSS) -> None:
        super().__init__()
        self._name = "MapCss"
        self.css = css

    def render(self, **kwargs: Any) -> Any:  # noqa: D102
        figure = self.get_root()
        if isinstance(figure, Figure):
            figure.header.add_child(Element(f"<style>{self.css}</style>"), name="routeplan_css")
            figure.header.add_child(
                Element(f"<script>{PLATFORM_JS}</script>"), name="routeplan_platform"
            )
        return super().render(**kwargs)


class HtmlControl(MacroElement):
    """A block of HTML shown as a Leaflet control (side panel or legend).

    The HTML usually is a ``<details>`` element so a phone user can fold it away; on screens
    wider than ``wide_px`` it opens when the page loads if ``open_wide`` is set.

    Clicking an element with ``data-stop="key"`` inside the control shows the layer and opens
    the popup of the marker registered under ``key`` in ``targets``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function(){
            var map = {{ this._parent.get_name() }};
            var ctl = L.control({position: {{ this.position|tojson }}});
            ctl.onAdd = function() {
                var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            ctl.addTo(map);
            var details = ctl.getContainer().querySelector('details');
            if (details && {{ this.open_wide|tojson }} && window.innerWidth > {{ this.wide_px }}) {
                details.open = true;
            }
            {%- if this.targets %}
            var targets = {
                {%- for key, pair in this.targets.items() %}
                {{ key|tojson }}: [{{ pair[0] }}, {{ pair[1] }}],
                {%- endfor %}
            };
            ctl.getContainer().addEventListener('click', function(event) {
                var link = event.target.closest('[data-stop]');
                if (!link || !(link.dataset.stop in targets)) { return; }
                event.preventDefault();
                var layer = targets[link.dataset.stop][0];
                var marker = targets[link.dataset.stop][1];
                if (!map.hasLayer(layer)) { map.addLayer(layer); }
                map.setView(marker.getLatLng(), Math.max(map.getZoom(), 14));
                marker.openPopup();
            });
            {%- endif %}
            return ctl;
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        html: str,
        *,
        position: str = "bottomleft",
        css_class: str = "rp-panel",
        open_wide: bool = True,
        wide_px: int = 700,
        targets: dict[str, tuple[str, str]] | None = None,
    ) -> None:
        super().__init__()
        self._name = "HtmlControl"
        self.html = html
        self.position = position
        self.css_class = css_class
        self.open_wide = open_wide
        self.wide_px = wide_px
        self.targets: dict[str, tuple[str, str]] = dict(targets or {})

    def add_target(self, key: str, layer: MacroElement, marker: MacroElement) -> None:
        """Register a marker (and the layer holding it) for ``data-stop="key"`` links."""
        self.targets[key] = (layer.get_name(), marker.get_name())


class ExpandOnWideScreens(MacroElement):
    """Opens a collapsed layer control on wide screens; phones keep the compact button."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (window.innerWidth > {{ this.wide_px }}) { {{ this.control }}.expand(); }
        {% endmacro %}
        """
    )

    def __init__(self, control: LayerControl, *, wide_px: int = 700) -> None:
        super().__init__()
        self._name = "ExpandOnWideScreens"
        self.control = control.get_name()
        self.wide_px = wide_px


class HtmlPopup(MacroElement):
    """A Leaflet popup with fixed HTML content, bound to its parent layer.

    folium's own ``Popup`` builds its content with jQuery; this one needs only Leaflet.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.popup({{ this.options|tojson }})
            .setContent({{ this.content|tojson }});
        {{ this._parent.get_name() }}.bindPopup({{ this.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, content: str, *, max_width: int = 280) -> None:
        super().__init__()
        self._name = "HtmlPopup"
        self.content = content
        self.options = {"maxWidth": max_width}


class ClientCluster(MarkerCluster):
    """Every client, of every tier, in one marker-cluster layer, added in bulk.

    ``data`` rows are ``[lat, lon, tooltip, tier_index]``; a marker gets the ``divIcon`` HTML
    ``icons[tier_index]``. A cluster is a pie of its tiers' colours (``colours``) with its
    count, in dark colours that no workload band uses. One ``addLayers`` call instead of one
    ``addLayer`` per marker keeps tens of thousands of clients responsive.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function(){
            var colours = {{ this.colours|tojson }};
            var options = {{ this.options|tojavascript }};
            options.iconCreateFunction = function(cluster) {
                var counts = colours.map(function() { return 0; });
                cluster.getAllChildMarkers().forEach(function(m) { counts[m.options.rpTier]++; });
                var total = cluster.getChildCount(), at = 0, stops = [];
                counts.forEach(function(n, i) {
                    if (!n) { return; }
                    var end = at + 360 * n / total;
                    stops.push(colours[i] + ' ' + at + 'deg ' + end + 'deg');
                    at = end;
                });
                var size = total < 100 ? 40 : total < 1000 ? 48 : 56;
                return L.divIcon({
                    className: 'rp-cluster',
                    html: '<div style="background:conic-gradient(' + stops.join(',') +
                        ')"><span>' + total + '</span></div>',
                    iconSize: [size, size]
                });
            };
            var cluster = L.markerClusterGroup(options);
            var icons = {{ this.icons|tojson }}.map(function(html) {
                return L.divIcon({
                    className: 'rp-icon', html: html,
                    iconSize: [{{ this.icon_px }}, {{ this.icon_px }}],
                    iconAnchor: [{{ this.icon_px / 2 }}, {{ this.icon_px / 2 }}]
                });
            });
            var data = {{ this.data|tojson }};
            var markers = new Array(data.length);
            for (var i = 0; i < data.length; i++) {
                markers[i] = L.marker([data[i][0], data[i][1]], {
                    icon: icons[data[i][3]], rpTier: data[i][3]
                }).bindTooltip(data[i][2]);
            }
            cluster.addLayers(markers);
            return cluster;
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        data: list[list[object]],
        *,
        icons: list[str],
        colours: list[str],
        name: str,
        icon_px: int = 12,
        show: bool = True,
    ) -> None:
        super().__init__(
            name=name,
            show=show,
            disableClusteringAtZoom=17,
            spiderfyOnMaxZoom=True,
            showCoverageOnHover=False,
        )
        self._name = "ClientCluster"
        self.data = data
        self.icons = icons
        self.colours = colours
        self.icon_px = icon_px


class FitView(MacroElement):
    """Fit the map to ``bounds`` once, without animation, when the page opens.

    With ``beside_panel``, wide screens leave room on the left for the open side panel
    (``.rp-panel``); phones fold the panel and use the whole map. One unanimated fit avoids
    Leaflet ignoring a second fit while the first one's zoom animation still runs.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(){
            var left = 20;
            {%- if this.beside_panel %}
            var panel = document.querySelector('.rp-panel');
            if (panel && window.innerWidth > {{ this.wide_px }}) { left = panel.offsetWidth + 30; }
            {%- endif %}
            {{ this._parent.get_name() }}.fitBounds({{ this.bounds|tojson }}, {
                paddingTopLeft: [left, 20], paddingBottomRight: [20, 20], animate: false
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self, bounds: list[list[float]], *, beside_panel: bool = False, wide_px: int = 700
    ) -> None:
        super().__init__()
        self._name = "FitView"
        self.bounds = bounds
        self.beside_panel = beside_panel
        self.wide_px = wide_px


class LeafletTexts(MacroElement):
    """Leaflet's own button texts in the page's language: zoom, layers, closing a popup.

    Leaflet writes them in English (``Zoom in``, ``Layers``, ``Close popup``); this sets the
    ``title`` and ``aria-label`` that screen readers and long-presses show, once the map is
    built and whenever a popup opens. ``texts`` maps ``zoom_in``, ``zoom_out``, ``layers`` and
    ``close`` to the words to show (already translated, as JSON strings in the page).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, texts) {
            function label(selector, text) {
                map.getContainer().querySelectorAll(selector).forEach(function (el) {
                    el.title = text;
                    el.setAttribute("aria-label", text);
                });
            }
            function all() {
                label(".leaflet-control-zoom-in", texts.zoom_in);
                label(".leaflet-control-zoom-out", texts.zoom_out);
                label(".leaflet-control-layers-toggle", texts.layers);
                label(".leaflet-popup-close-button", texts.close);
            }
            map.whenReady(function () { setTimeout(all, 0); });
            map.on("popupopen", all);
        })({{ this._parent.get_name() }}, {{ this.texts|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, texts: dict[str, str]) -> None:
        super().__init__()
        self._name = "LeafletTexts"
        self.texts = texts
