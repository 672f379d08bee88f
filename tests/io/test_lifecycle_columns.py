"""The optional lifecycle and loyalty columns of clients.csv: read, typed, checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.world import tiny_clients, write_world

from routeplan.config import Settings
from routeplan.errors import InputError
from routeplan.io.readers import load_inputs


def _world(tmp_path: Path, **columns: list[object]) -> Path:
    clients = tiny_clients()
    for name, values in columns.items():
        clients[name] = (values * 40)[:40]
    return write_world(tmp_path / "data", clients=clients)


def test_absent_columns_are_added_empty(tmp_path: Path) -> None:
    clients = load_inputs(_world(tmp_path), Settings()).clients
    assert clients["stage"].isna().all() and clients["growth_potential"].isna().all()


def test_lifecycle_columns_are_read(tmp_path: Path) -> None:
    folder = _world(
        tmp_path,
        stage=["Prospect", "regular", ""],
        share_of_wallet=[0.4, "", 1],
        buys_from_competitors=["sí", "no", ""],
        growth_potential=[0.9, 0.1, ""],
    )
    clients = load_inputs(folder, Settings()).clients
    assert clients["share_of_wallet"].iloc[0] == 0.4
    assert clients["growth_potential"].iloc[1] == 0.1
    assert clients["stage"].iloc[0] == "Prospect"


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("stage", "lead", "unknown stage 'lead'"),
        ("buys_from_competitors", "maybe", "'maybe' is not yes or no"),
        ("share_of_wallet", "1.5", "1.5 is above the maximum 1"),
        ("growth_potential", "-0.2", "-0.2 is below the minimum 0"),
    ],
)
def test_bad_lifecycle_cells_name_row_and_column(
    tmp_path: Path, column: str, value: str, message: str
) -> None:
    folder = _world(tmp_path, **{column: [value]})
    with pytest.raises(InputError, match=rf"clients\.csv, row 2, column '{column}': {message}"):
        load_inputs(folder, Settings())
