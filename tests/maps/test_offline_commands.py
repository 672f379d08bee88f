"""Every command that writes a map takes --offline: the map then needs no CDN."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from helpers.zones_city import synthetic_city

from routeplan.cli.main import main
from routeplan.maps.assets import find_node_modules


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    clients, reps, zones = synthetic_city(300, 4, seed=5)
    folder = tmp_path_factory.mktemp("city") / "data"
    folder.mkdir()
    clients.assign(name=clients["client_id"], margin=0.3).to_csv(
        folder / "clients.csv", index=False
    )
    reps.assign(name=reps["rep_id"]).to_csv(folder / "reps.csv", index=False)
    zones.to_file(folder / "zones.geojson", driver="GeoJSON")
    (folder / "routeplan.toml").write_text("# every setting at its default\n")
    return folder


@pytest.mark.skipif(find_node_modules() is None, reason="needs Leaflet from npm (tests/browser)")
def test_zones_balance_offline_writes_a_map_without_cdn(tmp_path, data):
    out = tmp_path / "out"
    args = ["--data", str(data), "zones", "balance", "--reps", "4", "--out", str(out)]
    result = CliRunner().invoke(main, [*args, "--offline"])
    assert result.exit_code == 0, result.output
    page = (out / "before_after.html").read_text(encoding="utf-8")
    assert re.findall(r'<script\s+src="https?://', page) == []
    assert "window.RP_OFFLINE = true" in page
    online = CliRunner().invoke(main, args)
    assert online.exit_code == 0, online.output
    assert re.findall(r'<script\s+src="https?://', (out / "before_after.html").read_text())
