"""What one running field app holds: settings, inputs, the plan store and its lock.

Built once by :func:`routeplan.serve.app.create_app` and kept on ``app.state.field``; routers
reach it through :func:`field_state`. There is no module-level state: two apps over two data
folders can run in one process (the tests do).
"""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
from fastapi import Request

from routeplan.config import Settings
from routeplan.model.plan import WeekPlan
from routeplan.planning.prepare import Prepared, travel_provider
from routeplan.planning.store import PlanStore
from routeplan.serve.options import ServeOptions
from routeplan.serve.outlines import zone_outlines
from routeplan.serve.ratelimit import RateLimiter
from routeplan.travel.haversine import MatrixProvider

T = TypeVar("T")


class FieldState:
    """Settings, clients, reps and the plan store of one running app.

    Parameters
    ----------
    prepared
        Validated, tiered inputs of the data folder (:func:`routeplan.planning.prepare.prepare`).
    store_path
        The plan store (opened once, in WAL mode; every access holds :attr:`lock`).
    options
        The app's options.

    """

    def __init__(self, prepared: Prepared, store_path: Path, options: ServeOptions) -> None:
        self.prepared = prepared
        self.settings: Settings = prepared.settings
        self.options = options
        synchronous = "FULL" if options.power_safe_commits else "NORMAL"
        self.store = PlanStore(store_path, shared=True, synchronous=synchronous)
        self.lock = threading.Lock()
        self.clients = prepared.clients.set_index("client_id", drop=False)
        self.client_facts: dict[str, tuple[str, float, float]] = {
            str(c): (str(r), float(a), float(o))
            for c, r, a, o in zip(
                prepared.clients["client_id"],
                prepared.clients["rep_id"],
                prepared.clients["lat"],
                prepared.clients["lon"],
                strict=True,
            )
        }
        """``client_id → (rep_id, lat, lon)``: what a posted visit is checked against."""
        self.reps = prepared.reps.set_index("rep_id", drop=False)
        self.limiter = RateLimiter(options.signin_attempts, options.signin_window_s)
        self._plans: dict[int, tuple[str, WeekPlan | None]] = {}
        self._provider: MatrixProvider | None = None
        self._outlines: dict[str, dict[str, Any]] | None = None

    def close(self) -> None:
        """Close the plan store."""
        self.store.close()

    def locked(self, work: Callable[[PlanStore], T]) -> T:
        """Run ``work(store)`` holding the store's lock (one connection, many threads)."""
        with self.lock:
            return work(self.store)

    @property
    def provider(self) -> MatrixProvider:
        """The travel model of the settings (built on first use)."""
        if self._provider is None:
            self._provider = travel_provider(self.prepared)
        return self._provider

    def zone_outlines(self) -> dict[str, dict[str, Any]]:
        """GeoJSON outline of every zone by zone id (built on first use)."""
        if self._outlines is None:
            self._outlines = zone_outlines(self.prepared.inputs.zones)
        return self._outlines

    def today(self) -> dt.date:
        """Today in the cycle's time zone (or the date the options fix)."""
        if self.options.today is not None:
            return self.options.today
        return dt.datetime.now(zoneinfo.ZoneInfo(self.settings.cycle.timezone)).date()

    def now_hhmm(self) -> str:
        """The time now in the cycle's time zone, HH:MM."""
        now = dt.datetime.now(zoneinfo.ZoneInfo(self.settings.cycle.timezone))
        return now.strftime("%H:%M")

    def week_of(self, day: dt.date) -> int | None:
        """Cycle week of a date, or None outside the cycle."""
        days = (day - self.settings.cycle.start_date).days
        week = days // 7 + 1
        return week if days >= 0 and week <= self.settings.cycle.weeks else None

    def plan(self, week: int) -> WeekPlan | None:
        """The stored plan of a week (re-read when a build saved it again)."""

        def read(store: PlanStore) -> tuple[str, WeekPlan | None]:
            rows = store.query("SELECT saved_at FROM week_plan WHERE week = ?", (week,))
            stamp = str(rows[0][0]) if rows else ""
            cached = self._plans.get(week)
            if cached is not None and cached[0] == stamp:
                return cached
            entry = (stamp, store.load_week_plan(week) if stamp else None)
            self._plans[week] = entry
            return entry

        return self.locked(read)[1]

    def rep_routes(self, week: int, rep_id: str, date: str | None = None) -> pd.DataFrame:
        """The planned stops of one rep in a week (or on one date), in order."""
        plan = self.plan(week)
        if plan is None:
            return pd.DataFrame()
        routes = plan.routes[plan.routes["rep_id"] == rep_id]
        if date is not None:
            routes = routes[routes["date"] == date]
        return routes.sort_values(["date", "seq"]).reset_index(drop=True)

    def rep_zone(self, rep_id: str) -> str | None:
        """Zone of a rep, or None for an unknown rep."""
        if rep_id not in self.reps.index:
            return None
        return str(self.reps.loc[rep_id, "zone"])


async def field_state(request: Request) -> FieldState:
    """The app's :class:`FieldState` (a FastAPI dependency; async, so no thread hop)."""
    state: FieldState = request.app.state.field
    return state
