"""Interactive maps (folium) for reps and managers.

Interactive maps (folium): each rep's week, the managers' map, zones before/after.
"""

from routeplan.maps.managers import managers_map
from routeplan.maps.rep_map import rep_week_map, save_map
from routeplan.maps.zones import zones_compare_map

__all__ = ["managers_map", "rep_week_map", "save_map", "zones_compare_map"]
