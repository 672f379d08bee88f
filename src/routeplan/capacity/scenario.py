"""What-if scenarios: reps, cadences, the end of the day and channels, parsed and applied.

A scenario is plain data (:class:`Scenario`); it comes from the command line (``--reps +2``,
``--cadence B=every_weeks:8``, ``--day-end 18:00``, ``--drop-channel remote``) or a TOML file::

    name = "two more reps, B every 8 weeks"
    reps = "+2"                  # or an absolute count: reps = 5
    day_end = "18:00"
    drop_channel = ["remote"]    # accounts recommended for the remote channel leave the field
    [cadence.B]
    every_weeks = 8

Bad input is a :class:`~routeplan.errors.RouteplanError` with one line saying what is wrong.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from routeplan.config import CadenceConfig, Settings, WorkdayConfig
from routeplan.errors import RouteplanError
from routeplan.i18n import _

CADENCE_KEYS: tuple[str, ...] = tuple(CadenceConfig.model_fields)
"""Keys a ``--cadence TIER=key:value`` may set."""

CHANNELS: dict[str, str] = {
    "remote": "remote_channel",
    "phone": "remote_channel",
    "remote_channel": "remote_channel",
}
"""``--drop-channel`` values and the recommendation whose accounts leave the field plan."""

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_SCENARIO_KEYS = frozenset({"name", "reps", "cadence", "day_end", "drop_channel"})


@dataclass(frozen=True)
class Scenario:
    """A what-if against today's plan; every field left empty keeps today's value.

    Attributes
    ----------
    name
        Label in tables and charts.
    reps
        Absolute number of reps, or None.
    reps_delta
        Reps added (negative: removed) when ``reps`` is None.
    cadence
        Per tier, the ``[cadence.<tier>]`` keys changed (``{"B": {"every_weeks": 8}}``).
    day_end
        New end of every rep's working day (``HH:MM``).
    drop_channels
        Recommendations whose accounts leave the field plan (``remote_channel``).

    """

    name: str = "baseline"
    reps: int | None = None
    reps_delta: int = 0
    cadence: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    day_end: str | None = None
    drop_channels: tuple[str, ...] = ()

    @property
    def is_baseline(self) -> bool:
        """True when nothing is changed."""
        return (
            self.reps is None
            and not self.reps_delta
            and not self.cadence
            and self.day_end is None
            and not self.drop_channels
        )

    def rep_count(self, today: int) -> int:
        """Reps of the scenario given today's count; an error below one."""
        count = self.reps if self.reps is not None else today + self.reps_delta
        if count < 1:
            raise RouteplanError(
                _(
                    "scenario '{name}' leaves {count} reps (today {today})",
                    name=self.name,
                    count=count,
                    today=today,
                ),
                hint=_(
                    "--reps takes a count (5) or a change (+2, -1) that leaves at least one rep"
                ),
            )
        return count

    def describe(self) -> str:
        """Short label of what changes (machine-stable, for file names and CSV)."""
        parts = []
        if self.reps is not None:
            parts.append(f"reps={self.reps}")
        elif self.reps_delta:
            parts.append(f"reps={self.reps_delta:+d}")
        for tier, keys in self.cadence.items():
            parts.append(f"{tier}=" + ",".join(f"{k}:{v}" for k, v in keys.items()))
        if self.day_end:
            parts.append(f"day_end={self.day_end}")
        parts += [f"drop={c}" for c in self.drop_channels]
        return " ".join(parts) or "baseline"


def parse_reps(text: str) -> tuple[int | None, int]:
    """``"5"`` → (5, 0); ``"+2"`` → (None, 2); ``"-1"`` → (None, -1)."""
    value = str(text).strip()
    if not re.fullmatch(r"[+-]?\d+", value):
        raise RouteplanError(
            _("--reps '{text}' is not a number of reps", text=text),
            hint=_("use a count (--reps 5) or a change (--reps +2, --reps -1)"),
        )
    if value[0] in "+-":
        return None, int(value)
    count = int(value)
    if count < 1:
        raise RouteplanError(
            _("--reps {count}: a plan needs at least one rep", count=count),
            hint=_("use a count of 1 or more, or a change such as +2"),
        )
    return count, 0


def parse_cadence(text: str, tiers: Sequence[str]) -> tuple[str, dict[str, int]]:
    """``"B=every_weeks:8"`` or ``"AAA=visits_per_week:3,service_min:45"`` → tier and keys."""
    tier, sep, body = str(text).partition("=")
    tier = tier.strip()
    if not sep or not body.strip():
        raise RouteplanError(
            _("--cadence '{text}' is not TIER=key:value", text=text),
            hint=_("e.g. --cadence B=every_weeks:8 or --cadence AAA=visits_per_week:3"),
        )
    if tier not in tiers:
        raise RouteplanError(
            _("--cadence '{text}': unknown tier '{tier}'", text=text, tier=tier),
            hint=_("the tiers are {tiers}", tiers=", ".join(tiers)),
        )
    keys: dict[str, int] = {}
    for item in body.split(","):
        key, _sep, value = item.partition(":")
        key = key.strip()
        if key not in CADENCE_KEYS:
            raise RouteplanError(
                _("--cadence '{text}': unknown key '{key}'", text=text, key=key),
                hint=_("use one of {choices}", choices=", ".join(CADENCE_KEYS)),
            )
        if not re.fullmatch(r"\d+", value.strip()):
            raise RouteplanError(
                _(
                    "--cadence '{text}': {key} needs a whole number, got '{value}'",
                    text=text,
                    key=key,
                    value=value.strip(),
                ),
                hint=_("e.g. every_weeks:8"),
            )
        keys[key] = int(value)
    return tier, keys


def parse_day_end(text: str) -> str:
    """``"18:00"`` as given; an error for anything that is not ``HH:MM``."""
    value = str(text).strip()
    if not _HHMM.fullmatch(value):
        raise RouteplanError(
            _("--day-end '{text}' is not a time HH:MM", text=text),
            hint=_("e.g. --day-end 18:00"),
        )
    return value


def parse_channels(values: Sequence[str]) -> tuple[str, ...]:
    """``--drop-channel`` values as recommendation codes."""
    out = []
    for value in values:
        code = CHANNELS.get(str(value).strip().lower())
        if code is None:
            raise RouteplanError(
                _("--drop-channel '{value}' is not a channel", value=value),
                hint=_("use one of {choices}", choices=", ".join(CHANNELS)),
            )
        if code not in out:
            out.append(code)
    return tuple(out)


def scenario_from_options(
    tiers: Sequence[str],
    *,
    reps: str | None = None,
    cadence: Sequence[str] = (),
    day_end: str | None = None,
    drop_channels: Sequence[str] = (),
    base: Scenario | None = None,
) -> Scenario:
    """A scenario from command-line values, on top of ``base`` (e.g. a ``--scenario`` file).

    Examples
    --------
    >>> s = scenario_from_options(["AAA", "AA", "A", "B"], reps="+2", cadence=["B=every_weeks:8"])
    >>> s.reps_delta, dict(s.cadence)
    (2, {'B': {'every_weeks': 8}})

    """
    scenario = base or Scenario(name="")
    if reps is not None:
        count, delta = parse_reps(reps)
        scenario = replace(scenario, reps=count, reps_delta=delta)
    if cadence:
        merged = {t: dict(k) for t, k in scenario.cadence.items()}
        for text in cadence:
            tier, keys = parse_cadence(text, tiers)
            merged.setdefault(tier, {}).update(keys)
        scenario = replace(scenario, cadence=merged)
    if day_end is not None:
        scenario = replace(scenario, day_end=parse_day_end(day_end))
    if drop_channels:
        codes = parse_channels([*scenario.drop_channels, *drop_channels])
        scenario = replace(scenario, drop_channels=codes)
    if not scenario.name:
        scenario = replace(scenario, name=scenario.describe())
    return scenario


def scenario_from_toml(path: Path, tiers: Sequence[str]) -> Scenario:
    """Read a saved scenario (format in the module docstring); errors name the file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RouteplanError(
            _("{path}: scenario file not found", path=path), hint=_("check the path")
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise RouteplanError(
            _("{path}: not valid TOML: {error}", path=path, error=exc),
            hint=_("check the quotes"),
        ) from exc
    unknown = sorted(set(data) - _SCENARIO_KEYS)
    if unknown:
        raise RouteplanError(
            _("{path}: unknown key(s) {keys}", path=path, keys=", ".join(unknown)),
            hint=_("a scenario has {keys}", keys=", ".join(sorted(_SCENARIO_KEYS))),
        )
    cadence = data.get("cadence", {})
    if not isinstance(cadence, dict) or not all(isinstance(v, dict) for v in cadence.values()):
        raise RouteplanError(
            _("{path}: [cadence.<tier>] must be tables", path=path), hint=_("see --help")
        )
    texts = [
        f"{tier}=" + ",".join(f"{k}:{v}" for k, v in keys.items()) for tier, keys in cadence.items()
    ]
    drops = data.get("drop_channel", [])
    drops = [drops] if isinstance(drops, str) else list(drops)
    reps = data.get("reps")
    try:
        return scenario_from_options(
            tiers,
            reps=None if reps is None else str(reps),
            cadence=texts,
            day_end=data.get("day_end"),
            drop_channels=drops,
            base=Scenario(name=str(data.get("name", ""))),
        )
    except RouteplanError as exc:
        raise RouteplanError(f"{path}: {exc.message}", hint=exc.hint) from exc


def apply_scenario(
    settings: Settings, reps: pd.DataFrame, scenario: Scenario
) -> tuple[Settings, pd.DataFrame, int]:
    """Settings, reps and rep count of the scenario.

    Parameters
    ----------
    settings
        Today's settings.
    reps
        Today's reps (their own ``day_end`` gives way to the scenario's).
    scenario
        What changes.

    Returns
    -------
    tuple
        The scenario's settings, reps table and number of reps.

    Raises
    ------
    RouteplanError
        A cadence or day end the settings refuse (one line naming the tier or key).

    """
    n_reps = scenario.rep_count(len(reps))
    cadence = dict(settings.cadence)
    frequency = {"visits_per_week", "every_weeks", "slack_weeks"}
    for tier, keys in scenario.cadence.items():
        base = cadence[tier].model_dump()
        if {"visits_per_week", "every_weeks"} & keys.keys():
            base = {k: v for k, v in base.items() if k not in frequency}
        try:
            cadence[tier] = CadenceConfig(**{**base, **keys})
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "cadence"
            raise RouteplanError(
                _(
                    "scenario '{name}': cadence of {tier}: {where}: {error}",
                    name=scenario.name,
                    tier=tier,
                    where=where,
                    error=first["msg"],
                ),
                hint=_("e.g. every_weeks:8 (2-52) or visits_per_week:3 (1-5)"),
            ) from None
    workday = settings.workday
    out_reps = reps.copy()
    if scenario.day_end is not None:
        try:
            workday = WorkdayConfig(**{**workday.model_dump(), "day_end": scenario.day_end})
        except ValidationError as exc:
            raise RouteplanError(
                _(
                    "scenario '{name}': day end {time}: {error}",
                    name=scenario.name,
                    time=scenario.day_end,
                    error=exc.errors()[0]["msg"],
                ),
                hint=_("the day must end after it starts"),
            ) from None
        out_reps["day_end"] = scenario.day_end
    new = settings.model_copy(update={"cadence": cadence, "workday": workday})
    return new, out_reps, n_reps
