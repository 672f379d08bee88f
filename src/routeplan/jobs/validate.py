"""The ``validate`` job: every problem of the inputs and settings, written and counted.

Runs what ``build`` runs before it plans (settings, reading, row checks, zones and reps,
tiering, the travel model) without stopping at the first problem, and writes them all to
``rejects-<file>.csv`` in ``DATA/validation`` (or ``--out``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from routeplan.config import Settings, load_settings, missing_settings_error
from routeplan.errors import ConfigError, InputError, Problem, RouteplanError
from routeplan.io.problems import count_by_kind, write_problem_files
from routeplan.io.readers import Inspection, attach_reps, inspect_inputs
from routeplan.jobs.setup import write_setup_warnings
from routeplan.planning.prepare import DataSource, Prepared, prepare, travel_provider

VALIDATION_FOLDER = "validation"


@dataclass
class ValidateOutcome:
    """What ``validate`` found and wrote.

    ``problems`` lists file-wide problems first; ``blocking`` is True when planning cannot
    start even with ``--skip-invalid`` (a file-wide or settings problem).
    """

    problems: list[Problem]
    blocking: bool
    detected: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    prepared: Prepared | None = None

    @property
    def counts(self) -> dict[str, int]:
        """Problems per kind, most frequent first."""
        return count_by_kind(self.problems)


def settings_path(source: DataSource) -> Path:
    """The settings file a command reads: ``--config`` or ``DATA/routeplan.toml``."""
    return source.config_path or source.data_dir / "routeplan.toml"


def _settings(source: DataSource) -> tuple[Settings, list[Problem]]:
    path = settings_path(source)
    if source.config_path is None and not path.is_file():
        error = missing_settings_error(path)
        return Settings(), [Problem(str(path), error.message, kind="no_settings", hint=error.hint)]
    try:
        return load_settings(path, required=True), []
    except ConfigError as exc:
        return Settings(), [Problem(str(path), exc.message, kind="settings", hint=exc.hint)]


def _zone_problems(inspection: Inspection) -> list[Problem]:
    if inspection.zones is None or "reps" not in inspection.checked:
        return []
    try:
        attach_reps(
            inspection.zones,
            inspection.checked["reps"].rows,
            zones_file=str(inspection.files["zones"]),
        )
    except InputError as exc:
        return exc.problems
    return []


def _planning_problems(source: DataSource) -> tuple[Prepared | None, list[Problem]]:
    """Tiering, zone assignment and the travel model, as ``build`` runs them."""
    try:
        prepared = prepare(source.data_dir, config_path=source.config_path, skip_invalid=True)
        travel_provider(prepared)
    except InputError as exc:
        return None, exc.problems
    except RouteplanError as exc:
        path = str(settings_path(source))
        return None, [Problem(path, exc.message, kind="settings", hint=exc.hint)]
    return prepared, []


def run_validate(source: DataSource, *, out_dir: Path | None = None) -> ValidateOutcome:
    """Check inputs and settings, report every problem, write the rejects files.

    Parameters
    ----------
    source
        The data folder and settings file.
    out_dir
        Where ``rejects-<file>.csv`` go (default ``DATA/validation``).

    Returns
    -------
    ValidateOutcome
        Every problem, what was detected, the files written.

    """
    settings, problems = _settings(source)
    blocking = bool(problems)
    inspection = inspect_inputs(source.data_dir, settings)
    problems += inspection.fatal
    blocking = blocking or bool(inspection.fatal)
    problems += inspection.problems
    zone_problems = _zone_problems(inspection) + inspection.overlaps
    problems += zone_problems
    blocking = blocking or bool(zone_problems)
    prepared = None
    if not blocking and not zone_problems:
        prepared, later = _planning_problems(source)
        problems += [p for p in later if p not in problems]
        blocking = prepared is None
    folder = out_dir or source.data_dir / VALIDATION_FOLDER
    written = write_problem_files(problems, folder)
    written += write_setup_warnings(prepared.setup if prepared else [], folder)
    return ValidateOutcome(
        problems=problems,
        blocking=blocking,
        detected=[t.describe() for t in inspection.tables.values()],
        notes=[note for t in inspection.tables.values() for note in t.notes] + inspection.notes,
        written=written,
        prepared=prepared,
    )
