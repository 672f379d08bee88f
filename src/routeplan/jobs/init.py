"""The ``init`` job: read the clients, propose settings, write ``DATA/routeplan.toml``."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from routeplan.config import Settings, settings_from_dict
from routeplan.errors import InputError, Problem, RouteplanError
from routeplan.i18n import _
from routeplan.intake.init import Proposal, proposal_toml, propose
from routeplan.io.readers import inspect_inputs

SETTINGS_FILE = "routeplan.toml"


@dataclass
class InitOutcome:
    """What ``init`` read, assumed and wrote."""

    path: Path
    proposal: Proposal
    detected: list[str]
    clients: int


def run_init(data_dir: Path, *, today: dt.date | None = None, force: bool = False) -> InitOutcome:
    """Write a commented ``routeplan.toml`` for a data folder, from its clients' coordinates.

    Parameters
    ----------
    data_dir
        The data folder (``clients.csv|xlsx`` at least).
    today
        The day the cycle is planned from (default: today); the cycle starts the next Monday.
    force
        Overwrite an existing ``routeplan.toml``.

    Returns
    -------
    InitOutcome
        The file written and the proposal with its reasons.

    Raises
    ------
    RouteplanError
        When the file exists (without ``force``) or no client has usable coordinates.

    """
    path = data_dir / SETTINGS_FILE
    if path.exists() and not force:
        raise RouteplanError(
            _("{path} already exists", path=path),
            hint=_("edit it, or run 'routeplan init --force' to replace it"),
        )
    inspection = inspect_inputs(data_dir, Settings(), zone_fit=False)  # where, not which zone
    clients_file = inspection.files["clients"]
    if "clients" not in inspection.checked:
        problems = [p for p in inspection.fatal if p.file == str(clients_file)]
        raise InputError(problems or inspection.fatal, hint=_("fix the clients file first"))
    rows = inspection.checked["clients"].rows
    if rows.empty:
        problem = Problem(str(clients_file), _("no client has valid coordinates"), kind="empty")
        raise InputError([problem], hint=_("run 'routeplan validate' to see why"))
    today = today or dt.date.today()
    proposal = propose(rows["lat"].to_numpy(), rows["lon"].to_numpy(), today=today)
    text = proposal_toml(proposal, source=clients_file.name, today=today)
    settings_from_dict(tomllib.loads(text), source=str(path))  # never write what cannot be read
    path.write_text(text, encoding="utf-8")
    detected = [t.describe() for t in inspection.tables.values()]
    return InitOutcome(path=path, proposal=proposal, detected=detected, clients=len(rows))
