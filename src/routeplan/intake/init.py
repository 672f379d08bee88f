"""``routeplan init``: a commented ``routeplan.toml`` proposed from the team's own data.

The proposal is pure: coordinates and today's date in, a :class:`Proposal` (what was assumed
and why) and its TOML text out. Every value it writes is validated by
:func:`routeplan.config.settings_from_dict` before the file is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from routeplan.config import Settings
from routeplan.i18n import _, use_language
from routeplan.intake.place import Place, place_of, public_holidays


def next_monday(today: dt.date) -> dt.date:
    """The first Monday after ``today`` (a week later when today is a Monday).

    Examples
    --------
    >>> next_monday(dt.date(2026, 12, 1)), next_monday(dt.date(2026, 12, 7))
    (datetime.date(2026, 12, 7), datetime.date(2026, 12, 14))

    """
    return today + dt.timedelta(days=7 - today.weekday())


@dataclass
class Proposal:
    """The settings ``init`` proposes and, for each, why (one sentence each, translated)."""

    place: Place
    start: dt.date
    weeks: int
    holidays: dict[dt.date, str]
    reasons: list[str] = field(default_factory=list)

    @property
    def end(self) -> dt.date:
        """The cycle's last day."""
        return self.start + dt.timedelta(weeks=self.weeks, days=-1)


def propose(lat: np.ndarray, lon: np.ndarray, *, today: dt.date) -> Proposal:
    """Propose settings for clients at these coordinates, planning from the next Monday.

    Parameters
    ----------
    lat, lon
        The clients' coordinates.
    today
        The day ``init`` runs.

    Returns
    -------
    Proposal
        Time zone, country, language, currency, cycle and holidays, with the reasons.

    """
    place = place_of(lat, lon)
    weeks = Settings().cycle.weeks
    start = next_monday(today)
    proposal = Proposal(place, start, weeks, {})
    proposal.holidays = public_holidays(place.country, start, proposal.end, language=place.language)
    with use_language(place.language):
        proposal.reasons = _reasons(proposal)
    return proposal


def _reasons(proposal: Proposal) -> list[str]:
    place = proposal.place
    sampled = sum(place.timezones.values())
    reasons = [
        _(
            "time zone {zone}: {share} of {sampled} clients looked up lie in it",
            zone=place.timezone,
            share=place.timezones[place.timezone],
            sampled=sampled,
        )
    ]
    if len(place.timezones) > 1:
        others = ", ".join(z for z in place.timezones if z != place.timezone)
        reasons.append(_("some clients lie in other time zones: {zones}", zones=others))
    country = place.country or "?"
    reasons.append(
        _(
            "country {country} (from the time zone): language {language}, currency {currency}",
            country=country,
            language=place.language,
            currency=place.currency or "-",
        )
    )
    reasons.append(
        _(
            "cycle of {weeks} weeks from next Monday, {start}, to {end}",
            weeks=proposal.weeks,
            start=proposal.start.isoformat(),
            end=proposal.end.isoformat(),
        )
    )
    if proposal.holidays:
        reasons.append(
            _(
                "{count} public holidays of {country} in the cycle (regional ones are not "
                "included: add them under [cycle] holidays)",
                count=len(proposal.holidays),
                country=country,
            )
        )
    else:
        reasons.append(
            _(
                "no public holidays known for {country}: list them under [cycle] holidays",
                country=country,
            )
        )
    reasons.append(_("tiers, cadences and the working day are routeplan's defaults"))
    return reasons


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


def _cycle_lines(proposal: Proposal) -> list[str]:
    lines = [
        "[cycle]",
        f"weeks = {proposal.weeks}",
        f"start_date = {proposal.start.isoformat()}  # " + _("a Monday"),
        f'timezone = "{proposal.place.timezone}"',
        "holidays = [",
    ]
    lines += [f"    {day.isoformat()},  # {name}" for day, name in proposal.holidays.items()]
    return [*lines, "]"]


def _default_lines() -> list[str]:
    defaults = Settings()
    tiers, workday = defaults.tiers, defaults.workday
    shares = ", ".join(f"{t} = {v:g}" for t, v in tiers.shares.shares.items())
    lines = [
        "[tiers]",
        'rule = "shares"',
        f"order = {_toml_list(tiers.order)}",
        "",
        "[tiers.shares]",
        f'basis = "{tiers.shares.basis}"',
        f"shares = {{ {shares} }}  # " + _("the last tier takes the rest"),
    ]
    for tier, cadence in defaults.cadence.items():
        lines += ["", f"[cadence.{tier}]"]
        if cadence.visits_per_week:
            lines.append(f"visits_per_week = {cadence.visits_per_week}")
        else:
            lines += [
                f"every_weeks = {cadence.every_weeks}",
                f"slack_weeks = {cadence.slack_weeks}",
            ]
        lines += [f"service_min = {cadence.service_min}", f"min_gap_days = {cadence.min_gap_days}"]
    lines += [
        "",
        "[workday]  # " + _("each rep can differ in reps.csv"),
        f'day_start = "{workday.day_start}"',
        f'day_end = "{workday.day_end}"',
        f'lunch_start = "{workday.lunch_start}"',
        f"lunch_min = {workday.lunch_min}",
        f"workdays = {_toml_list(workday.workdays)}",
        f"max_visits_per_day = {workday.max_visits_per_day}",
    ]
    return lines


def proposal_toml(proposal: Proposal, *, source: str, today: dt.date) -> str:
    """The commented ``routeplan.toml`` of a proposal.

    Parameters
    ----------
    proposal
        From :func:`propose`.
    source
        The clients file it was made from (named in the header comment).
    today
        The day it was written.

    Returns
    -------
    str
        TOML text; every key is one :class:`~routeplan.config.Settings` reads.

    """
    with use_language(proposal.place.language):
        return _toml_text(proposal, source=source, today=today)


def _toml_text(proposal: Proposal, *, source: str, today: dt.date) -> str:
    place = proposal.place
    header = [
        "# routeplan.toml — "
        + _("written by 'routeplan init' on {day} from {source}", day=today, source=source),
        "# " + _("What was assumed, and why (check it, then edit freely):"),
        *[f"#   - {reason}" for reason in proposal.reasons],
        "",
    ]
    ui = ["[ui]", f'language = "{place.language}"']
    if place.currency:
        ui.append(f'currency = "{place.currency}"')
    return "\n".join([*header, *_cycle_lines(proposal), "", *ui, "", *_default_lines(), ""])
