"""Interactive maps (folium) for reps and managers.

Interactive maps (folium): each rep's week, the managers' map, zones before/after. The public
names are imported on first use, so ``routeplan.maps.assets`` (the Leaflet files, used by the
field app) loads without folium.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from routeplan.lazy import lazy_getattr

if TYPE_CHECKING:
    from routeplan.maps.managers import managers_map
    from routeplan.maps.rep_map import rep_week_map, save_map
    from routeplan.maps.zones import zones_compare_map

_LAZY = {
    "managers_map": "routeplan.maps.managers",
    "rep_week_map": "routeplan.maps.rep_map",
    "save_map": "routeplan.maps.rep_map",
    "zones_compare_map": "routeplan.maps.zones",
}

__all__ = ["managers_map", "rep_week_map", "save_map", "zones_compare_map"]


__getattr__ = lazy_getattr(__name__, _LAZY, globals())
