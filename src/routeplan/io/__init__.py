"""Files in and out of routeplan.

Files in and out: readers and validation of clients, reps and zones (CSV, XLSX, GeoJSON, GPKG),
the one CSV writer, ICS, GPX, XLSX, week folders, the visit-log reader.
"""

from routeplan.io.readers import Inputs, load_inputs
from routeplan.io.writers import write_csv

__all__ = ["Inputs", "load_inputs", "write_csv"]
