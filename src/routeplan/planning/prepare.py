"""Validated inputs of a data folder, tiered and assigned to zones: where every command starts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from routeplan.config import Settings, settings_notes, settings_of_folder
from routeplan.i18n import ngettext
from routeplan.io.readers import Inputs, load_inputs
from routeplan.planning.source import DataSource
from routeplan.planning.store import PlanStore
from routeplan.stopwatch import timed
from routeplan.territory.assignment import assign_zones
from routeplan.tiers.rules import fill_service_minutes, tier_clients
from routeplan.travel.haversine import MatrixProvider
from routeplan.travel.osm.matrix import provider_from_settings

if TYPE_CHECKING:
    from routeplan.intake.setup import SetupWarning

Progress = Callable[[str, int, int], None]
"""Called as ``progress(step, done, total)`` while a long step runs."""


@dataclass
class Prepared:
    """Validated inputs, tiered and assigned to zones: the state every command starts from."""

    settings: Settings
    inputs: Inputs
    clients: pd.DataFrame
    data_dir: Path
    config_path: Path | None = None
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    setup: list[SetupWarning] = field(default_factory=list)
    """Setup checks that failed (also in ``warnings``), for ``setup-warnings.csv``."""

    @property
    def reps(self) -> pd.DataFrame:
        """The validated reps."""
        return self.inputs.reps

    @property
    def zones(self) -> gpd.GeoDataFrame:
        """The validated zones, each with its ``rep_id``."""
        return self.inputs.zones


def prepare(
    data_dir: Path,
    *,
    config_path: Path | None = None,
    skip_invalid: bool = False,
    previous_tiers: pd.DataFrame | None = None,
    checks: bool = True,
) -> Prepared:
    """Load and validate the inputs, tier the clients and assign them to zones.

    Parameters
    ----------
    data_dir
        Folder with clients, reps, zones and (by default) ``routeplan.toml``.
    config_path
        Settings file; default ``data_dir / "routeplan.toml"``.
    skip_invalid
        Leave bad rows out (returned in ``inputs.rejects``) instead of failing.
    previous_tiers
        The last tiering (``client_id``, ``tier``, ``rule_tier``) for hysteresis.
    checks
        Run the setup checks (warnings only; the field app, which shows none, skips them).

    Returns
    -------
    Prepared
        Clients with ``tier``, ``tier_reason``, ``zone``, ``rep_id`` and ``service_min``.

    """
    seconds: dict[str, float] = {}
    with timed(seconds, "load"):
        settings = settings_of_folder(data_dir, config_path)
        inputs = load_inputs(data_dir, settings, skip_invalid=skip_invalid)
    clients_file = str(inputs.files["clients"])
    with timed(seconds, "zones"):
        clients = assign_zones(inputs.clients, inputs.zones)
    clients.index = clients["file_row"] - 2  # tiering names rows as index + 2, like the file
    with timed(seconds, "tiers"):
        tiering = tier_clients(
            clients, settings.tiers, previous=previous_tiers, source=clients_file
        )
        warnings = [*inputs.warnings, *(str(w) for w in tiering.warnings)]
        clients = tiering.clients
        clients = fill_service_minutes(clients, settings.cadence, source=clients_file)
    clients = clients.reset_index(drop=True)
    outside = clients[clients["zone_source"] == "nearest"]
    if len(outside):
        listed = ", ".join(
            f"{c} ({d:.0f} m)"
            for c, d in zip(outside["client_id"], outside["zone_distance_m"], strict=True)
        )
        warnings.append(
            ngettext(
                "{count} client outside every zone, given the nearest: {clients}",
                "{count} clients outside every zone, given the nearest: {clients}",
                len(outside),
                clients=listed,
            )
        )
    for name, rejects in inputs.rejects.items():
        warnings.append(
            ngettext(
                "{count} invalid row of {file} left out (see rejects)",
                "{count} invalid rows of {file} left out (see rejects)",
                len(rejects),
                file=name,
            )
        )
    warnings = settings_notes(settings) + inputs.notes + warnings
    setup: list[SetupWarning] = []
    if checks:
        from routeplan.intake.setup import SetupInputs, setup_checks

        with timed(seconds, "setup"):
            setup = setup_checks(SetupInputs(clients, inputs.reps, inputs.zones, settings))
    warnings += [str(w) for w in setup]
    return Prepared(
        settings=settings,
        inputs=inputs,
        clients=clients,
        data_dir=data_dir,
        config_path=config_path,
        warnings=warnings,
        seconds=seconds,
        setup=setup,
    )


def travel_provider(prepared: Prepared) -> MatrixProvider:
    """The travel model the settings ask for; OSM matrices are cached under the data folder."""
    config_dir = (prepared.config_path or prepared.data_dir / "routeplan.toml").parent
    return provider_from_settings(
        prepared.settings, base_dir=config_dir, cache_dir=prepared.data_dir / ".cache" / "travel"
    )


def prepare_source(source: DataSource, *, checks: bool = True) -> Prepared:
    """:func:`prepare` the inputs of ``source``, tiered against the tiering in its plan store.

    The plan store is the one place the last tiering lives, so every command sees the same
    tiers (hysteresis included) as the last build.

    Parameters
    ----------
    source
        Inputs, settings file and plan store.
    checks
        Run the setup checks (as :func:`prepare`); False skips them where nothing shows them.

    Returns
    -------
    Prepared
        As :func:`prepare`.

    """
    with PlanStore(source.store_file) as store:
        previous = store.load_tiers()
    return prepare(
        source.data_dir,
        config_path=source.config_path,
        skip_invalid=source.skip_invalid,
        previous_tiers=previous,
        checks=checks,
    )
