"""The cycle calendar: in which weeks, and on which weekdays, each client is due.

This is the tactical half of the periodic vehicle routing problem. Weekly tiers appear in
every week (several visits a week get a fixed weekday pattern such as Mon+Wed with at least
``min_gap_days`` between them); tiers seen every N weeks get a phase chosen for geography
(each week's clients close together) and then for balance (each rep's weekly workload within
``settings.calendar.balance_tolerance`` of its target). Pure: DataFrames in, DataFrame out.

The calendar has one row per planned visit, columns :data:`CALENDAR_COLUMNS`.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from routeplan.calendar.area_assignment import assign_day_areas
from routeplan.calendar.day_areas import RepAreas, key_account_pattern
from routeplan.calendar.phases import (
    RepPhaseProblem,
    balance_phases,
    geographic_phases,
    sweep_sectors,
    visit_weeks,
)
from routeplan.config import WEEKDAYS, Settings
from routeplan.errors import InputError, Problem
from routeplan.i18n import _
from routeplan.model.calendar_table import CALENDAR_COLUMNS
from routeplan.model.reasons import Reason, encode
from routeplan.model.repday import rep_day
from routeplan.travel.estimate import travel_min_per_visit

KM_PER_DEGREE = 111.32
PROSPECT_REASON = "prospect"
"""First reason code of a prospect's visits (its cadence is the prospects', not its tier's)."""
ALL_DAYS = 0b1111111


def days_to_mask(text: object) -> int:
    """Bitmask (bit 0 = Mon) of a weekday list such as ``"Mon Wed Fri"``; all days if empty.

    Parameters
    ----------
    text
        Space- or comma-separated weekday names; None/NaN/empty means every day.

    Returns
    -------
    int
        The bitmask.

    Raises
    ------
    ValueError
        On an unknown weekday name.

    """
    if text is None or (isinstance(text, float) and np.isnan(text)) or not str(text).strip():
        return ALL_DAYS
    mask = 0
    for name in str(text).replace(",", " ").split():
        key = name.strip()[:3].title()
        if key not in WEEKDAYS:
            msg = _("unknown weekday '{name}'; use {days}", name=name, days=" ".join(WEEKDAYS))
            raise ValueError(msg)
        mask |= 1 << WEEKDAYS.index(key)
    return mask


@functools.lru_cache(maxsize=256)
def mask_to_days(mask: int) -> str:
    """Weekday list of a bitmask, e.g. ``"Mon Wed"``."""
    return " ".join(day for i, day in enumerate(WEEKDAYS) if mask >> i & 1)


def week_masks(settings: Settings) -> np.ndarray:
    """(W,) bitmask of the weekdays of each cycle week that are not holidays."""
    holidays = set(settings.cycle.holidays)
    masks = np.full(settings.cycle.weeks, ALL_DAYS, dtype=int)
    for w in range(1, settings.cycle.weeks + 1):
        start = settings.cycle.week_start(w)
        for d in range(7):
            if start + pd.Timedelta(days=d).to_pytimedelta() in holidays:
                masks[w - 1] &= ~(1 << d)
    return masks


def settings_fingerprint(settings: Settings) -> str:
    """Hash of the settings the calendar depends on; a change means rebuild the calendar.

    Parameters
    ----------
    settings
        The settings.

    Returns
    -------
    str
        A short hex digest.

    """
    data = {
        "cycle": settings.cycle.model_dump(mode="json"),
        "cadence": {k: v.model_dump(mode="json") for k, v in sorted(settings.cadence.items())},
        "workdays": settings.workday.workdays,
        "day_areas": settings.workday.day_areas,
        "calendar": settings.calendar.model_dump(mode="json"),
        "travel": [settings.travel.speed_kmh, settings.travel.circuity],
        "prospects": [
            settings.capacity.prospect_every_weeks,
            settings.capacity.prospect_service_min,
        ],
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


# --------------------------------------------------------------------------- preparation


def _problem(message: str, *, row: int | None = None, column: str | None = None) -> Problem:
    return Problem("clients", message, row=row, column=column)


def _prepare(clients: pd.DataFrame, settings: Settings, reps: pd.DataFrame | None) -> pd.DataFrame:
    """Validated client table with cadence, weekday masks, planar coordinates."""
    problems = [
        _problem(f"missing column '{c}'", column=c)
        for c in ("client_id", "rep_id", "tier", "lat", "lon")
        if c not in clients.columns
    ]
    if problems:
        raise InputError(problems, hint=_("the calendar needs tiered clients with a rep each"))
    df = pd.DataFrame(
        {
            "client_id": clients["client_id"].astype(str).to_numpy(),
            "rep_id": clients["rep_id"].astype(str).to_numpy(),
            "tier": clients["tier"].astype(str).to_numpy(),
            "lat": clients["lat"].astype(float).to_numpy(),
            "lon": clients["lon"].astype(float).to_numpy(),
            "names": (
                clients["area"].fillna("").astype(str).to_numpy()
                if "area" in clients.columns
                else ""
            ),
        }
    )
    for i, (tier, cid) in enumerate(zip(df["tier"], df["client_id"], strict=True)):
        if tier not in settings.cadence:
            problems.append(
                _problem(f"client {cid}: tier '{tier}' has no cadence", row=i + 2, column="tier")
            )
    dup = df["client_id"].duplicated(keep="first")
    problems += [
        _problem(f"duplicate client_id {cid}", row=int(i) + 2, column="client_id")
        for i, cid in zip(np.flatnonzero(dup), df["client_id"][dup], strict=True)
    ]
    open_mask = np.full(len(df), ALL_DAYS, dtype=int)
    if "open_days" in clients.columns:
        for i, text in enumerate(clients["open_days"].tolist()):
            try:
                open_mask[i] = days_to_mask(text)
            except ValueError as exc:
                problems.append(_problem(str(exc), row=i + 2, column="open_days"))
    if problems:
        raise InputError(problems, hint=_("add a [cadence.<tier>] section or fix the rows"))
    cad = [settings.cadence[t] for t in df["tier"]]
    default_service = np.array([c.service_min for c in cad], dtype=float)
    if "service_min" in clients.columns:
        given = pd.to_numeric(clients["service_min"], errors="coerce").to_numpy(dtype=float)
        df["service_min"] = np.where(np.isnan(given), default_service, given)
    else:
        df["service_min"] = default_service
    df["per_week"] = [c.visits_per_week for c in cad]
    df["every"] = [c.every_weeks if not c.visits_per_week else 1 for c in cad]
    df["slack"] = [c.slack_weeks for c in cad]
    df["gap"] = [c.min_gap_days for c in cad]
    _prospect_cadence(df, clients, settings)
    df["travel_factor"] = _travel_factor(clients)
    rep_mask, home = _rep_info(df, settings, reps)
    df["mask"] = np.array([rep_mask[r] for r in df["rep_id"]], dtype=int) & open_mask
    lat0 = float(np.deg2rad(df["lat"].mean())) if len(df) else 0.0
    df["x"] = df["lon"] * KM_PER_DEGREE * np.cos(lat0)
    df["y"] = df["lat"] * KM_PER_DEGREE
    df["home_x"] = [
        home.get(r, (np.nan, np.nan))[1] * KM_PER_DEGREE * np.cos(lat0) for r in df["rep_id"]
    ]
    df["home_y"] = [home.get(r, (np.nan, np.nan))[0] * KM_PER_DEGREE for r in df["rep_id"]]
    return df


def prospect_mask(clients: pd.DataFrame) -> np.ndarray:
    """Clients with ``stage = prospect`` (the optional lifecycle column; any case, trimmed)."""
    if "stage" not in clients.columns:
        return np.zeros(len(clients), dtype=bool)
    stage = clients["stage"].fillna("").astype(str).str.strip().str.lower()
    return stage.eq("prospect").to_numpy()


def _prospect_cadence(df: pd.DataFrame, clients: pd.DataFrame, settings: Settings) -> None:
    """Prospects take ``[capacity] prospect_every_weeks`` and ``prospect_service_min``.

    A prospect is identified but not yet buying: its cadence does not follow its tier (a tier
    ranks what an account buys), so every prospect gets the same visit every N weeks, with a
    week of slack either way, and the minutes of a first conversation.
    """
    prospect = prospect_mask(clients)
    df["prospect"] = prospect
    if not prospect.any():
        return
    capacity = settings.capacity
    every = capacity.prospect_every_weeks
    df.loc[prospect, "per_week"] = 1 if every == 1 else 0
    df.loc[prospect, "every"] = every
    df.loc[prospect, "slack"] = min(1, every // 2)
    df.loc[prospect, "gap"] = 1
    df.loc[prospect, "service_min"] = float(capacity.prospect_service_min)


def _travel_factor(clients: pd.DataFrame) -> np.ndarray:
    """The optional ``travel_factor`` column (routed ÷ estimated drive of the client's area).

    Missing column or cells, and non-positive values, read as 1.0: the density formula alone.
    """
    if "travel_factor" not in clients.columns:
        return np.ones(len(clients))
    given = pd.to_numeric(clients["travel_factor"], errors="coerce").to_numpy(dtype=float)
    return np.where(np.isfinite(given) & (given > 0), given, 1.0)


def _rep_info(
    df: pd.DataFrame, settings: Settings, reps: pd.DataFrame | None
) -> tuple[dict[str, int], dict[str, tuple[float, float]]]:
    default = rep_day(None, settings.workday).workday_mask
    masks = {r: default for r in df["rep_id"].unique()}
    homes: dict[str, tuple[float, float]] = {}
    if reps is not None and len(reps):
        for row in reps.to_dict("records"):
            rep = str(row["rep_id"])
            masks[rep] = rep_day(row, settings.workday).workday_mask
            if {"home_lat", "home_lon"} <= row.keys() and pd.notna(row["home_lat"]):
                homes[rep] = (float(row["home_lat"]), float(row["home_lon"]))
    return masks, homes


def lock_maps(locks: pd.DataFrame | None) -> tuple[dict[str, int], dict[str, int]]:
    """Client → locked week, client → locked weekday index."""
    lock_week: dict[str, int] = {}
    lock_day: dict[str, int] = {}
    if locks is None or len(locks) == 0:
        return lock_week, lock_day
    for row in locks.to_dict("records"):
        cid = str(row["client_id"])
        week = row.get("week")
        day = row.get("day")
        if week is not None and pd.notna(week):
            lock_week[cid] = int(week)
        if day is not None and pd.notna(day) and str(day).strip():
            lock_day[cid] = WEEKDAYS.index(str(day).strip()[:3].title())
    return lock_week, lock_day


# --------------------------------------------------------------------------- weekly tiers


@functools.lru_cache(maxsize=4096)
def day_patterns(mask: int, visits: int, gap: int) -> tuple[tuple[int, ...], ...]:
    """Weekday index tuples of ``visits`` days within ``mask`` at least ``gap`` days apart.

    Parameters
    ----------
    mask
        Allowed weekdays as a bitmask (bit 0 = Mon).
    visits
        Visits per week.
    gap
        Minimum difference between consecutive weekday indices.

    Returns
    -------
    tuple of tuple of int
        Patterns in lexicographic order (Mon+Wed before Mon+Thu ...).

    """
    days = [d for d in range(7) if mask >> d & 1]
    return tuple(
        c
        for c in itertools.combinations(days, visits)
        if all(b - a >= gap for a, b in itertools.pairwise(c))
    )


def _best_week_pattern(
    standard: tuple[int, ...], mask: int, visits: int, gap: int
) -> tuple[tuple[int, ...], list[Reason]]:
    """The pattern used in a week with holidays: closest to ``standard``, relaxing if needed."""
    for k in range(visits, 0, -1):
        for g in range(gap, 0, -1):
            options = day_patterns(mask, k, g)
            if options:
                best = min(
                    options,
                    key=lambda p: (
                        -len(set(p) & set(standard)),
                        sum(min((abs(d - s) for s in standard), default=0) for d in p),
                        p,
                    ),
                )
                note: list[Reason] = []
                if not standard:
                    note = [Reason("open_days_allow", {"allowed": k, "visits": visits})]
                elif k < visits:
                    note = [Reason("holiday_fewer", {"allowed": k, "visits": visits})]
                elif g < gap:
                    note = [Reason("holiday_gap", {"gap": g})]
                elif best != standard:
                    note = [Reason("holiday_moved")]
                return best, note
    return (), [Reason("no_workday_week")]


def _weekly_patterns(
    prep: pd.DataFrame, lock_day: dict[str, int], areas: dict[str, RepAreas] | None = None
) -> dict[str, tuple[int, ...]]:
    """Standard weekday pattern of each multi-visit client.

    With day areas: the client's area day and the nearest areas' days at the tier's spacing
    (:func:`~routeplan.calendar.day_areas.key_account_pattern`); without: the pattern that
    balances the rep's days.
    """
    patterns: dict[str, tuple[int, ...]] = {}
    multi = prep[prep["per_week"] >= 2]
    for rep, grp in multi.groupby("rep_id", sort=True):
        rep_areas = areas.get(str(rep)) if areas else None
        day_load = np.zeros(7)
        order = grp.sort_values(["load", "client_id"], ascending=[False, True], kind="stable")
        for row in order.itertuples(index=False):
            options: list[tuple[int, ...]] = []
            for g in range(int(row.gap), 0, -1):
                options = list(day_patterns(int(row.mask), int(row.per_week), g))
                if row.client_id in lock_day:
                    options = [p for p in options if lock_day[row.client_id] in p]
                if options:
                    break
            if not options:
                patterns[row.client_id] = ()
                continue
            if rep_areas is not None:
                best = key_account_pattern(
                    options,
                    own_day=int(row.area_day),
                    xy=np.array([row.x, row.y]),
                    areas=rep_areas,
                    day_load=day_load,
                )
            else:
                best = min(
                    options,
                    key=lambda p: (
                        max(day_load[list(p)] + row.load),
                        (day_load[list(p)] ** 2).sum(),
                    ),
                )
            day_load[list(best)] += row.load
            patterns[row.client_id] = best
    return patterns


def _weekly_rows(
    prep: pd.DataFrame,
    wmask: np.ndarray,
    lock_day: dict[str, int],
    patterns: dict[str, tuple[int, ...]],
) -> list[tuple]:
    rows: list[tuple] = []
    for row in prep[prep["per_week"] >= 1].itertuples(index=False):
        k = int(row.per_week)
        base = [Reason("per_week", {"count": k})]
        standard = patterns.get(row.client_id, ())
        for w in range(1, len(wmask) + 1):
            mask = int(row.mask) & int(wmask[w - 1])
            if k == 1:
                lock = lock_day.get(row.client_id)
                note: list[Reason] = []
                if lock is not None and mask >> lock & 1:
                    days, note = (
                        [mask_to_days(1 << lock)],
                        [Reason("locked_day", {"day": WEEKDAYS[lock]})],
                    )
                elif mask:
                    days, note = [mask_to_days(mask)], _area_note(row, mask)
                else:
                    days, note = [], [Reason("no_workday_week")]
            else:
                if standard and all(mask >> d & 1 for d in standard):
                    chosen, note = standard, []
                else:
                    chosen, note = _best_week_pattern(standard, mask, k, int(row.gap))
                days = [WEEKDAYS[d] for d in chosen]
                pattern = "+".join(WEEKDAYS[d] for d in standard)
                base = [Reason("per_week_days", {"count": k, "days": pattern})]
            if not days:
                continue
            for v, day in enumerate(days, start=1):
                rows.append(_row(row, w, v, day, 0, encode(base + note)))
    return rows


def _area_note(row: object, mask: int) -> list[Reason]:
    """``area_day_holiday`` when the client's area day is not a workday this week."""
    day = int(row.area_day)  # type: ignore[attr-defined]
    if day < 0 or mask >> day & 1:
        return []
    return [Reason("area_day_holiday", {"day": WEEKDAYS[day]})]


def _row(row: object, week: int, visit_no: int, days: str, phase: int, reason: str) -> tuple:
    """A calendar row as (prep position, week, visit_no, days, phase, reason_code)."""
    return (row.pos, week, visit_no, days, phase, reason)  # type: ignore[attr-defined]


def _rows_frame(prep: pd.DataFrame, rows: list[tuple]) -> pd.DataFrame:
    """Calendar DataFrame from row tuples, client columns taken from ``prep`` by position."""
    pos, week, visit_no, days, phase, reason = (list(c) for c in zip(*rows, strict=True))
    base = prep.iloc[pos]
    return pd.DataFrame(
        {
            "client_id": base["client_id"].to_numpy(),
            "rep_id": base["rep_id"].to_numpy(),
            "tier": base["tier"].to_numpy(),
            "week": np.asarray(week, dtype=int),
            "visit_no": np.asarray(visit_no, dtype=int),
            "days": days,
            "allowed_days": [mask_to_days(int(m)) for m in base["mask"]],
            "phase": np.asarray(phase, dtype=int),
            "lat": base["lat"].to_numpy(dtype=float),
            "lon": base["lon"].to_numpy(dtype=float),
            "service_min": base["service_min"].to_numpy(dtype=float),
            "travel_min": base["travel"].to_numpy(dtype=float).round(2),
            "reason_code": reason,
            "day_area": base["day_area"].to_numpy(dtype=int),
            "area_day": [WEEKDAYS[d] if d >= 0 else "" for d in base["area_day"].astype(int)],
        }
    )


# --------------------------------------------------------------------------- every-N tiers


def _rep_phase_problem(
    grp: pd.DataFrame,
    wmask: np.ndarray,
    rep_mask: int,
    fixed_load: np.ndarray,
    lock_week: dict[str, int],
    lock_day: dict[str, int],
    windows: dict[str, set[int]],
    pinned: dict[str, int],
) -> RepPhaseProblem:
    weeks = len(wmask)
    n = len(grp)
    every = grp["every"].to_numpy(dtype=int)
    width = int(every.max()) if n else 1
    masks = grp["mask"].to_numpy(dtype=int)
    cids = grp["client_id"].tolist()
    day_need = np.array(
        [1 << lock_day[c] if c in lock_day else m for c, m in zip(cids, masks, strict=True)]
    )
    feasible = (day_need[:, None] & wmask[None, :]) != 0
    allowed = np.zeros((n, width), dtype=bool)
    for i, cid in enumerate(cids):
        allowed[i, : every[i]] = True
        if cid in pinned:
            allowed[i] = False
            allowed[i, pinned[cid] - 1] = True
        elif cid in lock_week:
            allowed[i] = False
            allowed[i, (lock_week[cid] - 1) % every[i]] = True
        elif windows.get(cid):
            allowed[i] = False
            allowed[i, [p - 1 for p in windows[cid]]] = True
    capacity = np.array([bin(rep_mask & int(m)).count("1") for m in wmask])
    return RepPhaseProblem(
        xy_km=grp[["x", "y"]].to_numpy(dtype=float),
        load_min=grp["load"].to_numpy(dtype=float),
        every_weeks=every,
        slack_weeks=grp["slack"].to_numpy(dtype=int),
        feasible=feasible if weeks else np.zeros((n, 0), dtype=bool),
        allowed=allowed,
        fixed_load=fixed_load,
        capacity=capacity,
    )


def _initial_from_pinned(problem: RepPhaseProblem, phases: np.ndarray) -> np.ndarray:
    """Free clients take the phase of their nearest pinned client of the same cadence."""
    pinned = problem.allowed.sum(axis=1) == 1
    out = phases.copy()
    for every in np.unique(problem.every_weeks):
        anchor = np.flatnonzero(pinned & (problem.every_weeks == every))
        free = np.flatnonzero(~pinned & (problem.every_weeks == every))
        if len(anchor) >= max(len(free), 1) and len(free):
            _, nearest = cKDTree(problem.xy_km[anchor]).query(problem.xy_km[free])
            out[free] = np.argmax(problem.allowed[anchor[nearest]], axis=1) + 1
    return out


@dataclass(frozen=True)
class _Pins:
    """What holds every-N clients in place: locks, allowed phases, kept phases."""

    lock_week: dict[str, int]
    lock_day: dict[str, int]
    windows: dict[str, set[int]]
    pinned: dict[str, int]


def _every_rows(
    prep: pd.DataFrame,
    settings: Settings,
    wmask: np.ndarray,
    rep_masks: dict[str, int],
    fixed: dict[str, np.ndarray],
    *,
    pins: _Pins,
    naive: bool,
) -> list[tuple]:
    rows: list[tuple] = []
    weeks = len(wmask)
    sparse = prep[prep["per_week"] == 0]
    for rep, grp in sparse.groupby("rep_id", sort=True):
        problem = _rep_phase_problem(
            grp,
            wmask,
            rep_masks[str(rep)],
            fixed.get(str(rep), np.zeros(weeks)),
            pins.lock_week,
            pins.lock_day,
            pins.windows,
            pins.pinned,
        )
        if naive:
            rank = grp.groupby("tier", sort=False).cumcount().to_numpy()
            geo = rank % problem.every_weeks + 1
            pin = problem.allowed.sum(axis=1) == 1
            geo[pin] = np.argmax(problem.allowed[pin], axis=1) + 1
            phases = geo
        else:
            home = grp[["home_x", "home_y"]].to_numpy(dtype=float)[0]
            if np.isnan(home).any():
                home = problem.xy_km.mean(axis=0)
            if (grp["day_area"] > 0).all():
                sector = grp["day_area"].to_numpy(dtype=int) - 1
            else:
                parts = settings.calendar.sectors or bin(rep_masks[str(rep)]).count("1")
                sector = sweep_sectors(
                    problem.xy_km, problem.load_min / problem.every_weeks, home, parts
                )
            geo = geographic_phases(problem, home=home, sector=sector)
            geo = _initial_from_pinned(problem, geo)
            phases = balance_phases(
                problem,
                geo,
                tolerance=settings.calendar.balance_tolerance,
                geo_weight=settings.calendar.geo_weight,
                max_moves=settings.calendar.max_balance_moves,
                sector=sector,
            )
        for i, row in enumerate(grp.itertuples(index=False)):
            n_every, p = int(row.every), int(phases[i])
            code = "every_n_weeks_round_robin" if naive else "every_n_weeks"
            reason = [Reason(code, {"weeks": n_every, "phase": p})]
            if row.prospect:
                reason.insert(0, Reason(PROSPECT_REASON))
            shift = (p - int(geo[i]) + n_every // 2) % n_every - n_every // 2
            if shift:
                reason.append(Reason("balance_shift", {"shift": f"{shift:+d}"}))
            if row.client_id in pins.lock_week:
                reason.append(Reason("locked_week", {"week": pins.lock_week[row.client_id]}))
            lock = pins.lock_day.get(row.client_id)
            for w in visit_weeks(p, n_every, weeks):
                mask = int(row.mask) & int(wmask[w - 1])
                note: list[Reason] = []
                if lock is not None and mask >> lock & 1:
                    days, note = (
                        mask_to_days(1 << lock),
                        [Reason("locked_day", {"day": WEEKDAYS[lock]})],
                    )
                else:
                    days = mask_to_days(mask)
                    note = _area_note(row, mask) if mask else [Reason("no_open_workday")]
                rows.append(_row(row, w, 1, days, p, encode(reason + note)))
    return rows


# --------------------------------------------------------------------------- assembly


@dataclass(frozen=True)
class Kept:
    """What an update keeps of the clients already in a calendar.

    Attributes
    ----------
    phases
        Client → phase of an every-N client.
    patterns
        Client → weekday pattern of a multi-visit client.
    areas
        Client → ``(day_area, weekday index)``; new clients join the nearest area of their rep.

    """

    phases: dict[str, int] = field(default_factory=dict)
    patterns: dict[str, tuple[int, ...]] = field(default_factory=dict)
    areas: dict[str, tuple[int, int]] = field(default_factory=dict)


def construct_calendar(
    clients: pd.DataFrame,
    settings: Settings,
    *,
    reps: pd.DataFrame | None,
    locks: pd.DataFrame | None,
    windows: dict[str, set[int]] | None = None,
    kept: Kept | None = None,
    naive: bool = False,
) -> pd.DataFrame:
    """Build calendar rows; the options let updates keep clients' weeks and patterns.

    ``windows`` restricts the weeks an every-N client may take, ``kept`` keeps clients'
    phases, weekly day patterns and day areas (:class:`Kept`), ``naive`` gives round-robin
    phases (the benchmark's baseline). See :func:`build_calendar`.
    """
    kept = kept or Kept()
    prep = _prepare(clients, settings, reps)
    prep["pos"] = np.arange(len(prep))
    if len(prep) == 0:
        return pd.DataFrame({c: [] for c in CALENDAR_COLUMNS})
    wmask = week_masks(settings)
    rep_masks, _ = _rep_info(prep, settings, reps)
    lock_week, lock_day = lock_maps(locks)
    visits_pw = np.where(prep["per_week"] > 0, prep["per_week"], 1.0 / prep["every"])
    prep["travel"] = travel_min_per_visit(
        prep["lat"].to_numpy(),
        prep["lon"].to_numpy(),
        np.asarray(visits_pw, dtype=float),
        speed_kmh=settings.travel.speed_kmh,
        circuity=settings.travel.circuity,
        k_neighbours=settings.calendar.knn,
        group=prep["rep_id"].to_numpy(),
    )
    calibrated = prep["travel"] * prep["travel_factor"]
    prep["load"] = prep["service_min"] + calibrated
    areas = None
    if settings.workday.day_areas:
        areas = assign_day_areas(prep, rep_masks, pinned=kept.areas)
        for cid, day in lock_day.items():
            prep.loc[prep["client_id"] == cid, "area_day"] = day
    else:
        prep["day_area"], prep["area_day"] = 0, -1
    patterns = _weekly_patterns(prep, lock_day, areas)
    if kept.patterns:
        patterns.update({k: v for k, v in kept.patterns.items() if k in patterns})
    weekly = _weekly_rows(prep, wmask, lock_day, patterns)
    fixed: dict[str, np.ndarray] = {}
    if weekly:
        pos = np.array([r[0] for r in weekly], dtype=int)
        wk = np.array([r[1] for r in weekly], dtype=int)
        load = prep["service_min"].to_numpy(float)[pos] + calibrated.to_numpy(float)[pos].round(2)
        table = pd.DataFrame({"rep": prep["rep_id"].to_numpy()[pos], "week": wk, "load": load})
        sums = table.groupby(["rep", "week"])["load"].sum()
        for (rep, week), value in sums.items():
            fixed.setdefault(str(rep), np.zeros(len(wmask)))[int(week) - 1] = value
    sparse = _every_rows(
        prep,
        settings,
        wmask,
        rep_masks,
        fixed,
        pins=_Pins(lock_week, lock_day, windows or {}, kept.phases),
        naive=naive,
    )
    if not weekly + sparse:
        return pd.DataFrame({c: [] for c in CALENDAR_COLUMNS})
    out = _rows_frame(prep, weekly + sparse)
    return out.sort_values(["week", "rep_id", "client_id", "visit_no"], kind="stable").reset_index(
        drop=True
    )


def build_calendar(
    clients: pd.DataFrame,
    settings: Settings,
    *,
    reps: pd.DataFrame | None = None,
    locks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Plan every client's visits over the cycle: geographic week groups, balanced workload.

    Parameters
    ----------
    clients
        Tiered clients: ``client_id``, ``rep_id``, ``tier``, ``lat``, ``lon``, optional
        ``service_min`` (tier default when missing) and ``open_days`` ("Mon Tue ...").
    settings
        Cadence per tier, cycle (weeks, start, holidays), workdays, ``[calendar]`` tolerance.
    reps
        Optional ``rep_id``, ``workdays``, ``home_lat``, ``home_lon``.
    locks
        Optional ``client_id``, ``week`` (pin an every-N client to that week's phase),
        ``day`` (pin to a weekday).

    Returns
    -------
    pandas.DataFrame
        One row per planned visit, columns :data:`CALENDAR_COLUMNS`, sorted by week, rep,
        client, visit number.

    Raises
    ------
    InputError
        Missing columns, duplicate ids, a tier without cadence or a bad ``open_days``.

    """
    return construct_calendar(clients, settings, reps=reps, locks=locks)


def naive_calendar(
    clients: pd.DataFrame,
    settings: Settings,
    *,
    reps: pd.DataFrame | None = None,
    locks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The baseline: every-N clients get phases round-robin in input order (per rep and tier).

    Same output as :func:`build_calendar`; weekday patterns of weekly tiers are the same, so a
    comparison isolates the choice of weeks.
    """
    return construct_calendar(clients, settings, reps=reps, locks=locks, naive=True)


def due_in_week(calendar: pd.DataFrame, week: int) -> pd.DataFrame:
    """The calendar rows due in ``week``.

    Parameters
    ----------
    calendar
        A calendar from :func:`build_calendar`.
    week
        1-based cycle week.

    Returns
    -------
    pandas.DataFrame
        The rows of that week, index reset.

    """
    return calendar[calendar["week"] == week].reset_index(drop=True)
