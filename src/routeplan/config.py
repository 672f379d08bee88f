"""Settings from ``routeplan.toml``: typed, validated once, passed down explicitly.

Every section has domain defaults, so an empty file is a valid configuration. Unknown keys and
wrong types are :class:`~routeplan.errors.ConfigError` naming the dotted key.
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import tomllib
import unicodedata
import zoneinfo
from pathlib import Path
from typing import Annotated, Literal

from babel.numbers import is_currency
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from routeplan.errors import ConfigError, RouteplanError
from routeplan.i18n import DEFAULT_LANGUAGE, _, normalise_language

WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
"""Weekday names as used in config and data files; index 0 is Monday."""

HHMM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]

MATRIX_CELLS: tuple[str, ...] = (
    "high_volume_high_margin",
    "low_volume_high_margin",
    "high_volume_low_margin",
    "low_volume_low_margin",
)
"""The four cells of the volume × margin matrix."""


def minutes_of(hhmm: str) -> int:
    """Minutes since midnight of an ``HH:MM`` string.

    Parameters
    ----------
    hhmm
        A time such as ``"08:30"``.

    Returns
    -------
    int
        Minutes since midnight (``510`` for ``"08:30"``).

    """
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def check_timezone(name: str) -> str:
    """``name`` when it is an IANA time zone; otherwise an error suggesting the nearest one.

    Parameters
    ----------
    name
        A time zone such as ``"America/Bogota"``.

    Returns
    -------
    str
        The name, unchanged.

    Raises
    ------
    ValueError
        When the tz database does not know it; the message names the closest known zone
        (accents ignored: ``America/Bogotá`` → ``America/Bogota``).

    Examples
    --------
    >>> check_timezone("America/Sao_Paulo")
    'America/Sao_Paulo'

    """
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        known = {_ascii(zone): zone for zone in zoneinfo.available_timezones()}
        close = difflib.get_close_matches(_ascii(name).replace(" ", "_"), known, n=1)
        msg = (
            _(
                "unknown time zone '{name}'; did you mean '{close}'? (IANA names such as"
                " 'America/Bogota')",
                name=name,
                close=known[close[0]],
            )
            if close
            else _("unknown time zone '{name}' (IANA names such as 'America/Bogota')", name=name)
        )
        raise ValueError(msg) from None
    return name


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CycleConfig(_Section):
    """The planning cycle: how many weeks, when it starts, which days are off."""

    weeks: int = Field(12, ge=1, le=104)
    start_date: dt.date = dt.date(2027, 1, 4)
    holidays: list[dt.date] = Field(default_factory=list)
    timezone: str = "Europe/Helsinki"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        return check_timezone(value)

    @field_validator("start_date")
    @classmethod
    def _starts_on_monday(cls, value: dt.date) -> dt.date:
        if value.weekday() != 0:
            msg = _(
                "must be a Monday, {date} is a {day}",
                date=value.isoformat(),
                day=WEEKDAYS[value.weekday()],
            )
            raise ValueError(msg)
        return value

    def week_start(self, week: int) -> dt.date:
        """Monday of ``week`` (1-based) of the cycle."""
        return self.start_date + dt.timedelta(weeks=week - 1)

    def check_week(self, week: int) -> tuple[dt.date, dt.date]:
        """The Monday and Sunday of ``week``; a clear error when it is outside the cycle.

        Parameters
        ----------
        week
            The 1-based cycle week.

        Returns
        -------
        tuple of datetime.date
            Monday and Sunday of the week.

        Raises
        ------
        RouteplanError
            When the week is outside ``1..weeks``.

        """
        if not 1 <= week <= self.weeks:
            raise RouteplanError(
                _(
                    "week {week} is outside the cycle (weeks 1-{weeks})",
                    week=week,
                    weeks=self.weeks,
                ),
                hint=_(
                    "pick --week between 1 and {weeks}, or change [cycle] weeks", weeks=self.weeks
                ),
            )
        monday = self.week_start(week)
        return monday, monday + dt.timedelta(days=6)


class ShareRule(_Section):
    """Pareto/ABC: cut the ranked accounts by cumulative share.

    ``shares`` gives, for every tier but the last, its share of accounts (``basis = "accounts"``)
    or of revenue (``basis = "revenue"``); the last tier takes the rest.
    """

    shares: dict[str, float] = Field(
        default_factory=lambda: {"AAA": 0.01, "AA": 0.03, "A": 0.15},
    )
    basis: Literal["accounts", "revenue"] = "accounts"

    @field_validator("shares")
    @classmethod
    def _fractions(cls, value: dict[str, float]) -> dict[str, float]:
        bad = {tier: share for tier, share in value.items() if not 0.0 < share < 1.0}
        if bad:
            msg = _("every share must be between 0 and 1 (exclusive), got {bad}", bad=bad)
            raise ValueError(msg)
        if sum(value.values()) > 1.0 + 1e-9:
            msg = _(
                "shares add up to {total:g}; they must add up to at most 1",
                total=sum(value.values()),
            )
            raise ValueError(msg)
        return value


class MatrixRule(_Section):
    """Volume × margin matrix: thresholds as quantiles (0–1) or absolute values."""

    volume_column: str = "revenue"
    margin_column: str = "margin"
    thresholds: Literal["quantile", "absolute"] = "quantile"
    volume_threshold: float = 0.8
    margin_threshold: float = 0.5
    labels: dict[str, str] = Field(
        default_factory=lambda: {
            "high_volume_high_margin": "top",
            "low_volume_high_margin": "growth",
            "high_volume_low_margin": "operational",
            "low_volume_low_margin": "low",
        }
    )

    @model_validator(mode="after")
    def _quantiles_are_fractions(self) -> MatrixRule:
        if self.thresholds == "quantile":
            bad = [q for q in (self.volume_threshold, self.margin_threshold) if not 0 <= q <= 1]
            if bad:
                msg = _("quantile thresholds must be between 0 and 1, got {bad}", bad=bad)
                raise ValueError(msg)
        return self

    @field_validator("labels")
    @classmethod
    def _four_cells(cls, value: dict[str, str]) -> dict[str, str]:
        if set(value) != set(MATRIX_CELLS):
            msg = _(
                "labels must name exactly the cells {cells}, got {given}",
                cells=list(MATRIX_CELLS),
                given=list(value),
            )
            raise ValueError(msg)
        if len(set(value.values())) != len(value):
            msg = _(
                "labels must be four different tier names, got {given}",
                given=list(value.values()),
            )
            raise ValueError(msg)
        return value


class PotentialRule(_Section):
    """Promote accounts whose potential is many times their current purchase."""

    enabled: bool = True
    column: str = "potential"
    min_ratio: float = Field(3.0, gt=1.0)
    promote_steps: int = Field(1, ge=0, le=3)
    current_column: str = "revenue"
    """Current purchase the potential is compared with."""
    min_potential_quantile: float = Field(0.5, ge=0.0, lt=1.0)
    """Only potentials at or above this company-wide quantile count as high (0 = any)."""
    highest: str | None = None
    """Highest tier a promotion can reach (None: any tier)."""


class TiersConfig(_Section):
    """How clients are tiered (semantics in :mod:`routeplan.tiers.rules`).

    ``score`` maps columns to weights (one column: its raw value); ``scope`` ranks the whole
    company or each zone; ``hysteresis`` is a band (fraction of the cut score or threshold)
    inside which a client keeps its previous tier; ``order`` lists tiers highest first.
    """

    rule: Literal["shares", "matrix"] = "shares"
    scope: Literal["company", "zone"] = "company"
    score: dict[str, float] = Field(default_factory=lambda: {"revenue": 1.0})
    order: list[str] = Field(default_factory=lambda: ["AAA", "AA", "A", "B"])
    shares: ShareRule = Field(default_factory=ShareRule)
    matrix: MatrixRule = Field(default_factory=MatrixRule)
    potential: PotentialRule = Field(default_factory=PotentialRule)
    hysteresis: float = Field(0.0, ge=0.0, le=0.5)
    normalise: Literal["rank", "minmax"] = "rank"
    """How a weighted score scales its columns: percentile rank or min-max (one column: raw)."""

    @field_validator("score")
    @classmethod
    def _positive_weights(cls, value: dict[str, float]) -> dict[str, float]:
        if not value:
            msg = _("name at least one column, e.g. {example}", example="{revenue = 1.0}")
            raise ValueError(msg)
        bad = {column: weight for column, weight in value.items() if not weight > 0}
        if bad:
            msg = _("weights must be positive, got {bad}", bad=bad)
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> TiersConfig:
        if len(set(self.order)) != len(self.order) or len(self.order) < 2:
            msg = _("order must list at least two different tiers, got {order}", order=self.order)
            raise ValueError(msg)
        if self.rule == "shares" and list(self.shares.shares) != self.order[:-1]:
            msg = _(
                "shares.shares must give a share for every tier but the last, in order:"
                " {order}, got {given}",
                order=self.order[:-1],
                given=list(self.shares.shares),
            )
            raise ValueError(msg)
        highest = self.potential.highest
        if highest is not None and highest not in self.tier_names:
            msg = _(
                "potential.highest '{highest}' is not one of the tiers {tiers}",
                highest=highest,
                tiers=self.tier_names,
            )
            raise ValueError(msg)
        return self

    @property
    def tier_names(self) -> list[str]:
        """Tier names the configured rule produces, highest priority first."""
        if self.rule == "matrix":
            return list(self.matrix.labels.values())
        return list(self.order)


class CadenceConfig(_Section):
    """How often a tier is visited and for how long.

    Either ``visits_per_week >= 1`` (every week) or ``every_weeks >= 2`` (one visit every N
    weeks, with ``slack_weeks`` of freedom either side).
    """

    visits_per_week: int = Field(0, ge=0, le=5)
    every_weeks: int = Field(1, ge=1, le=52)
    slack_weeks: int = Field(0, ge=0, le=26)
    service_min: int = Field(30, ge=1, le=480)
    min_gap_days: int = Field(1, ge=1, le=4)

    @model_validator(mode="after")
    def _one_kind(self) -> CadenceConfig:
        if self.visits_per_week == 0 and self.every_weeks == 1:
            msg = _("set visits_per_week (weekly tiers) or every_weeks >= 2 (less frequent tiers)")
            raise ValueError(msg)
        if self.visits_per_week > 0 and self.every_weeks != 1:
            msg = _("visits_per_week and every_weeks > 1 cannot be combined")
            raise ValueError(msg)
        return self

    @property
    def visits_per_cycle_week(self) -> float:
        """Average visits per week."""
        return float(self.visits_per_week) if self.visits_per_week else 1.0 / self.every_weeks


def _default_cadence() -> dict[str, CadenceConfig]:
    return {
        "AAA": CadenceConfig(visits_per_week=2, service_min=60, min_gap_days=2),
        "AA": CadenceConfig(visits_per_week=1, service_min=45),
        "A": CadenceConfig(every_weeks=4, slack_weeks=1, service_min=30),
        "B": CadenceConfig(every_weeks=12, slack_weeks=2, service_min=20),
    }


class WorkdayConfig(_Section):
    """A rep's default working day; ``reps.csv`` can override each field per rep."""

    day_start: HHMM = "08:00"
    day_end: HHMM = "17:00"
    lunch_start: HHMM = "12:00"
    lunch_min: int = Field(30, ge=0, le=120)
    workdays: list[str] = Field(default_factory=lambda: list(WEEKDAYS[:5]))
    max_visits_per_day: int = Field(12, ge=1, le=60)
    overtime_max_min: int = Field(0, ge=0, le=240)
    max_stretch_min: int = Field(270, ge=0, le=720)
    """Longest stretch of driving and visits without the lunch break (0 = no rule)."""
    shape: Literal["even", "compact", "free"] = "even"
    """Shape of a rep's week: ``even`` spreads the work over the workdays (soft bounds on each
    day's visit time around the week's mean), ``compact`` fills days and leaves whole days
    free (e.g. for prospecting), ``free`` minimises driving only."""
    day_areas: bool = True
    """Cut each rep's week into one area per workday and prefer a visit's area day."""
    regular_slots: bool = True
    """Weekly clients keep the time of their first visit on that weekday, within
    ``slot_tolerance_min`` (a soft rule: routing may still move them, at a cost)."""
    slot_tolerance_min: int = Field(60, ge=0, le=480)
    count_waiting: bool = True
    """A minute the rep waits at a client (arrived before it opens or before its slot) costs
    the routing as much as a minute of driving, and each day leaves home by the earliest
    lunch start (the break is waiting too: it would be taken at home). On by default: days
    without hours at a door and of even length, for about 4 % more driving and more search
    CPU (see ``planning.problems.WAIT_COST_PER_S``); off, waiting is free and each routed day
    is retimed instead (``routing.retime``)."""

    @field_validator("workdays")
    @classmethod
    def _known_days(cls, value: list[str]) -> list[str]:
        unknown = [d for d in value if d not in WEEKDAYS]
        if unknown:
            msg = _(
                "unknown weekday(s) {unknown}; use {days}", unknown=unknown, days=list(WEEKDAYS)
            )
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _ordered(self) -> WorkdayConfig:
        if minutes_of(self.day_end) <= minutes_of(self.day_start):
            msg = _(
                "day_end {end} must be after day_start {start}",
                end=self.day_end,
                start=self.day_start,
            )
            raise ValueError(msg)
        return self


class RoadSpeedsConfig(_Section):
    """Road speeds of the OSM graph: by ``highway`` class where ``maxspeed`` is missing.

    ``classes`` changes only the classes it names (the others keep the OSRM car-profile
    defaults); ``maxspeed_factor`` is the share of a posted limit driven on average.
    """

    maxspeed_factor: float = Field(0.8, gt=0.0, le=1.5)
    classes: dict[str, float] = Field(default_factory=dict)

    @field_validator("classes")
    @classmethod
    def _positive(cls, value: dict[str, float]) -> dict[str, float]:
        bad = {name: speed for name, speed in value.items() if not 0 < speed <= 150}
        if bad:
            msg = _("speeds must be between 0 and 150 km/h, got {bad}", bad=bad)
            raise ValueError(msg)
        return value


class TravelConfig(_Section):
    """Travel model: straight lines times a circuity factor, or a real OSM road graph."""

    mode: Literal["haversine", "osm"] = "haversine"
    speed_kmh: float = Field(30.0, gt=0, le=150)
    circuity: float = Field(1.35, ge=1.0, le=3.0)
    osm_file: str | None = None
    snap_warn_m: float = Field(250.0, gt=0)
    speeds: RoadSpeedsConfig = Field(default_factory=RoadSpeedsConfig)


class CalendarConfig(_Section):
    """How the cycle calendar balances workload and groups clients by place."""

    balance_tolerance: float = Field(0.10, gt=0.0, le=1.0)
    knn: int = Field(4, ge=1, le=50)
    geo_weight: float = Field(1.0, ge=0.0, le=100.0)
    max_balance_moves: int = Field(2000, ge=0, le=1_000_000)
    sectors: int = Field(1, ge=0, le=7)
    """Each week's every-N clients form one compact group per angular sector around the rep's
    home: 1 = one compact area per week, 0 = one sector per workday, k = k sectors. With
    ``[workday] day_areas`` the sectors are the rep's day areas and this is not used."""
    exclude_unservable: bool = True
    """Leave accounts whose hours never overlap their rep's day out of routing (listed once)."""
    make_up_weekly: bool = True
    """A missed or dropped visit of a weekly tier comes back as an extra visit when the week's
    days and the tier's spacing leave room (False: the next regular visit makes up for it)."""


class SolverConfig(_Section):
    """OR-Tools search settings and where rep-weeks run."""

    seconds_per_rep_week: float = Field(2.0, gt=0, le=600)
    workers: int = Field(0, ge=0, le=256)
    scheduler: str | None = None
    seed: int = 0


class UiConfig(_Section):
    """What people read: the language of labels, messages, dates and numbers."""

    language: str = DEFAULT_LANGUAGE
    """``en``, ``es``, ``es-CO``, ``es-MX``, ``es-ES``, ``pt-BR`` (or ``pt``); stored normalised
    as a Babel locale identifier (``es_CO``)."""
    currency: str | None = None
    """ISO 4217 code of the money columns (``COP``, ``BRL``, ``EUR``), for reports."""

    @field_validator("language")
    @classmethod
    def _supported(cls, value: str) -> str:
        try:
            return normalise_language(value)
        except ConfigError as exc:
            raise ValueError(f"{exc.message}; {exc.hint}") from None

    @field_validator("currency")
    @classmethod
    def _iso_currency(cls, value: str | None) -> str | None:
        return iso_currency(value)


DEFAULT_CURRENCY = "EUR"
"""The money of reports and costs when ``[ui] currency`` is not set."""


def iso_currency(value: str | None) -> str | None:
    """An ISO 4217 code in capitals, or None; ValueError naming the code when unknown."""
    if value is not None and not is_currency(value.upper()):
        msg = _(
            "unknown currency '{value}'; use an ISO 4217 code such as 'COP' or 'BRL'", value=value
        )
        raise ValueError(msg)
    return value.upper() if value is not None else None


class InputConfig(_Section):
    """How the clients and reps files are read when detection needs a decision.

    Every key is optional: encoding, separator, decimal mark and header row are detected from
    the file; set one only when the detection is wrong or ambiguous.
    """

    encoding: str | None = None
    """E.g. ``"utf-8"``, ``"cp1252"``, ``"utf-16"``."""
    separator: str | None = None
    """One of ``,`` ``;`` ``|`` or ``"tab"``."""
    decimal: Literal[",", "."] | None = None
    """The decimal mark of numbers: ``","`` (``1.234,5``) or ``"."`` (``1,234.5``)."""
    sheet: str | int | None = None
    """An Excel workbook's sheet: its name or 1-based position (default: the first)."""
    header_row: int | None = Field(None, ge=1, le=1000)
    """The 1-based row holding the column names (default: detected, title rows skipped)."""

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                codecs.lookup(value)
            except LookupError:
                msg = _(
                    "unknown encoding '{value}'; use e.g. 'utf-8', 'cp1252' or 'utf-16'",
                    value=value,
                )
                raise ValueError(msg) from None
        return value

    @field_validator("separator")
    @classmethod
    def _known_separator(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = "\t" if value.lower() in ("tab", "\\t") else value
        if value not in (",", ";", "\t", "|"):
            msg = _("separator must be ',', ';', '|' or 'tab', got {value!r}", value=value)
            raise ValueError(msg)
        return value


class GeocodeConfig(_Section):
    """Offline geocoding of clients that have an address but no coordinates."""

    osm_file: str | None = None
    """An ``.osm.pbf`` extract covering the clients (relative to routeplan.toml's folder)."""
    accept: Literal["address", "street", "locality"] = "street"
    """The coarsest match planned with: ``address`` (house found), ``street`` or ``locality``."""


class ColumnsConfig(_Section):
    """Explicit column names: routeplan's column → the header in your file (wins over synonyms).

    E.g. ``[columns.clients] client_id = "Código SAP"``.
    """

    clients: dict[str, str] = Field(default_factory=dict)
    reps: dict[str, str] = Field(default_factory=dict)


class CostsConfig(_Section):
    """What serving an account costs (``routeplan capacity``); money in the sales currency.

    A visit costs its minutes (service + its share of the drive) at ``rep_hour`` plus its
    kilometres at ``per_km``. An account whose yearly cost to serve is above ``max_cost_share``
    of its yearly margin (revenue × margin) gets a recommendation other than ``keep``.
    """

    rep_hour: float = Field(35.0, ge=0)
    """Fully loaded cost of one hour of a rep (salary, car, phone, overhead)."""
    per_km: float = Field(0.25, ge=0)
    """Running cost of one kilometre driven."""
    max_cost_share: float = Field(0.5, gt=0, le=5)
    """Cost to serve above this share of the annual margin flags the account."""
    remote_per_year: float = Field(60.0, ge=0)
    """Yearly cost of serving an account by phone / remote channel instead of visits."""
    weeks_per_year: float = Field(46.0, gt=0, le=53)
    """Working weeks a year: visits per year = visits per week × this."""
    currency: str | None = None
    """Deprecated: the money is ``[ui] currency`` (:attr:`Settings.currency`). Still read: it
    fills ``[ui] currency`` when that is not set, with a warning (:func:`settings_notes`)."""

    @field_validator("currency")
    @classmethod
    def _iso_currency(cls, value: str | None) -> str | None:
        return iso_currency(value)


class CapacityConfig(_Section):
    """Headcount and scenario settings of ``routeplan capacity``.

    ``prospect_every_weeks`` / ``prospect_service_min``: the cadence of accounts with
    ``stage = prospect`` (whatever their tier), for ``prospect_review_weeks`` weeks, after which
    they are recommended for ``review``.
    """

    target_utilisation: float = Field(0.85, gt=0, le=1)
    """Share of a rep's working time the workload method may fill (the rest absorbs noise)."""
    prospect_every_weeks: int = Field(4, ge=1, le=52)
    prospect_service_min: int = Field(30, ge=1, le=480)
    prospect_review_weeks: int = Field(24, ge=1, le=104)
    balance_time_limit_s: float = Field(60.0, gt=0, le=3600)
    """Time limit of the automatic ``zones balance`` of each scenario."""


class Settings(_Section):
    """Everything in ``routeplan.toml``."""

    cycle: CycleConfig = Field(default_factory=CycleConfig)
    tiers: TiersConfig = Field(default_factory=TiersConfig)
    cadence: dict[str, CadenceConfig] = Field(default_factory=_default_cadence)
    workday: WorkdayConfig = Field(default_factory=WorkdayConfig)
    travel: TravelConfig = Field(default_factory=TravelConfig)
    solver: SolverConfig = Field(default_factory=SolverConfig)
    calendar: CalendarConfig = Field(default_factory=CalendarConfig)
    ui: UiConfig = Field(default_factory=UiConfig)
    costs: CostsConfig = Field(default_factory=CostsConfig)
    capacity: CapacityConfig = Field(default_factory=CapacityConfig)
    input: InputConfig = Field(default_factory=InputConfig)
    columns: ColumnsConfig = Field(default_factory=ColumnsConfig)
    geocode: GeocodeConfig = Field(default_factory=GeocodeConfig)

    @model_validator(mode="before")
    @classmethod
    def _merge_default_cadence(cls, data: object) -> object:
        """Let ``[cadence.A] service_min = 25`` change one field and keep the other defaults."""
        if not isinstance(data, dict) or not isinstance(data.get("cadence"), dict):
            return data
        frequency = {"visits_per_week", "every_weeks"}
        merged: dict[str, object] = {}
        for tier, given in data["cadence"].items():
            default = _default_cadence().get(tier)
            if isinstance(given, dict) and default is not None:
                base = default.model_dump()
                if frequency & given.keys():
                    base = {k: v for k, v in base.items() if k not in frequency | {"slack_weeks"}}
                merged[tier] = {**base, **given}
            else:
                merged[tier] = given
        for tier, default in _default_cadence().items():
            merged.setdefault(tier, default)
        return {**data, "cadence": merged}

    @model_validator(mode="after")
    def _every_tier_has_cadence(self) -> Settings:
        missing = [t for t in self.tier_names if t not in self.cadence]
        if missing:
            msg = _("tier(s) {missing} have no [cadence.<tier>] section", missing=missing)
            raise ValueError(msg)
        return self

    @model_validator(mode="before")
    @classmethod
    def _one_currency(cls, data: object) -> object:
        """``[costs] currency`` (deprecated) fills ``[ui] currency``; two different is an error."""
        if not isinstance(data, dict):
            return data
        costs, ui = data.get("costs"), data.get("ui")
        old = costs.get("currency") if isinstance(costs, dict) else None
        if not isinstance(old, str):
            return data
        given = ui.get("currency") if isinstance(ui, dict) else None
        if isinstance(given, str) and given.upper() != old.upper():
            msg = _(
                "[costs] currency '{old}' differs from [ui] currency '{given}'; there is one"
                " currency: delete the [costs] key",
                old=old,
                given=given,
            )
            raise ValueError(msg)
        return {**data, "ui": {**(ui if isinstance(ui, dict) else {}), "currency": old}}

    @property
    def currency(self) -> str:
        """The money of every report and cost: ``[ui] currency``, else :data:`DEFAULT_CURRENCY`."""
        return self.ui.currency or DEFAULT_CURRENCY

    @property
    def tier_names(self) -> list[str]:
        """Tier names the configured rule produces, highest priority first."""
        if self.tiers.rule == "matrix":
            return list(self.tiers.matrix.labels.values())
        return list(self.tiers.order)


def settings_notes(settings: Settings) -> list[str]:
    """Warnings about the settings file itself: deprecated keys still read, and their new home."""
    if settings.costs.currency is None:
        return []
    return [
        _(
            "routeplan.toml: [costs] currency is deprecated and read as [ui] currency "
            '({currency}); move it to [ui] currency = "{currency}"',
            currency=settings.costs.currency,
        )
    ]


def settings_from_dict(data: dict[str, object], *, source: str = "routeplan.toml") -> Settings:
    """Validate a parsed TOML document.

    Parameters
    ----------
    data
        The parsed document.
    source
        File name used in error messages.

    Returns
    -------
    Settings
        The validated settings.

    Raises
    ------
    ConfigError
        On an unknown key or a wrong type; the message names the dotted key.

    """
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or _("(top level)")
        message = first["msg"]
        if first["type"] == "extra_forbidden":
            message = _("unknown key")
        elif first["type"] == "value_error" and "error" in first.get("ctx", {}):
            message = str(first["ctx"]["error"])  # our own (translated) words, no "Value error, "
        more = exc.error_count() - 1
        params = {"source": source, "key": key, "message": message, "more": more}
        text = (
            _("{source}: key '{key}': {message} (and {more} more)", **params)
            if more
            else _("{source}: key '{key}': {message}", **params)
        )
        raise ConfigError(
            text, hint=_("see the commented example in data/demo/routeplan.toml")
        ) from exc


def load_settings(path: Path | None, *, required: bool = False) -> Settings:
    """Read and validate ``routeplan.toml``; defaults when ``path`` is None or missing.

    Parameters
    ----------
    path
        The file, or None for all defaults.
    required
        The file was named explicitly (``--config``): a missing file is an error.

    Returns
    -------
    Settings
        The validated settings.

    """
    if path is not None and required and not path.is_file():
        raise ConfigError(
            _("{path}: settings file not found", path=path),
            hint=_("check the --config path, or leave --config out to use DATA/routeplan.toml"),
        )
    if path is None or not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            _("{path}: not valid TOML: {error}", path=path, error=exc),
            hint=_("check quotes and brackets"),
        ) from exc
    return settings_from_dict(data, source=str(path))


SETTINGS_FILE = "routeplan.toml"
"""The settings file of a data folder."""


def missing_settings_error(path: Path) -> ConfigError:
    """The error of a data folder without ``routeplan.toml``, with the hint to run ``init``."""
    return ConfigError(
        _(
            "{path}: no settings file; the time zone, calendar and holidays would be guesses",
            path=path,
        ),
        hint=_(
            "run 'routeplan --data {folder} init' to write one from your data",
            folder=path.parent,
        ),
    )


def settings_of_folder(data_dir: Path, config_path: Path | None = None) -> Settings:
    """The settings a planning command uses: ``--config``, else ``DATA/routeplan.toml``.

    Parameters
    ----------
    data_dir
        The data folder.
    config_path
        An explicit settings file (``--config``); it must exist.

    Returns
    -------
    Settings
        The validated settings.

    Raises
    ------
    ConfigError
        When the file is missing (the hint says to run ``routeplan init``) or invalid.

    """
    path = config_path or data_dir / SETTINGS_FILE
    if config_path is None and not path.is_file():
        raise missing_settings_error(path)
    return load_settings(path, required=True)
