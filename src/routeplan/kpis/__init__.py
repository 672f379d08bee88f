"""Key figures of a week, the HTML report and summaries.

Key figures of a week: cadence compliance, driving, utilisation, balance, backlog, overdue
clients, the HTML report and summaries.
"""

from routeplan.kpis.report import kpi_tables, write_week_report
from routeplan.kpis.summary import rep_summary

__all__ = ["kpi_tables", "rep_summary", "write_week_report"]
