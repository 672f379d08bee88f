"""The cycle calendar: which week and weekday each account is due.

The cycle calendar (tactical half of the periodic VRP): which week and weekday each account is
due, kept up to date and reported.
"""

from routeplan.calendar.construction import CALENDAR_COLUMNS, build_calendar, due_in_week
from routeplan.calendar.updates import sync_calendar, visits_for_week

__all__ = ["CALENDAR_COLUMNS", "build_calendar", "due_in_week", "sync_calendar", "visits_for_week"]
