"""Files in and out of routeplan.

Files in and out: readers and validation of clients, reps and zones (CSV, XLSX, GeoJSON, GPKG),
the one CSV writer, ICS, GPX, XLSX, week folders, the visit-log reader.
"""

from routeplan.io.readers import Inputs, inspect_inputs, load_inputs
from routeplan.io.tables import read_input_table
from routeplan.io.writers import write_csv

__all__ = ["Inputs", "inspect_inputs", "load_inputs", "read_input_table", "write_csv"]
