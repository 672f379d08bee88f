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
from routeplan.io.columns import CLIENT_SYNONYMS
from routeplan.io.localised import read_localised
from routeplan.io.readers import CLIENT_COLUMNS, check_clients
from routeplan.io.tables import find_table

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
    clients_file = find_table(data_dir, "clients")
    table = read_localised(
        clients_file,
        CLIENT_COLUMNS,
        CLIENT_SYNONYMS,
        options=Settings().input,
        explicit={},
        section="columns.clients",
    )
    checked = check_clients(
        table.frame,
        Settings(),
        file=str(clients_file),
        decimals=table.decimals,
        headers=table.columns.source,
    )
    rows = checked.rows
    if rows.empty:
        problem = Problem(str(clients_file), _("no client has valid coordinates"), kind="empty")
        raise InputError([problem], hint=_("run 'routeplan validate' to see why"))
    today = today or dt.date.today()
    proposal = propose(rows["lat"].to_numpy(), rows["lon"].to_numpy(), today=today)
    text = proposal_toml(proposal, source=clients_file.name, today=today)
    settings_from_dict(tomllib.loads(text), source=str(path))  # never write what cannot be read
    path.write_text(text, encoding="utf-8")
    return InitOutcome(path=path, proposal=proposal, detected=[table.describe()], clients=len(rows))
