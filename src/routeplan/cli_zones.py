"""``routeplan zones balance``: rebalance territories and write zones, tables and a map.

The group is meant to be added to the main CLI (``main.add_command(zones)``). File loading
here is deliberately simple (pandas/geopandas reads); the pipeline's validated readers can
replace :func:`load_inputs` without touching the command.
"""

from __future__ import annotations

from pathlib import Path

import click
import folium
import geopandas as gpd
import pandas as pd

from routeplan.balance import BalanceOptions, BalanceResult, balance_zones
from routeplan.config import Settings, load_settings
from routeplan.errors import RouteplanError

SUMMARY_COLUMNS = [
    "zone",
    "rep_id",
    "clients_before",
    "clients_after",
    "workload_h_before",
    "workload_h_after",
    "workload_dev_before",
    "workload_dev_after",
    "revenue_dev_before",
    "revenue_dev_after",
    "polsby_popper_before",
    "polsby_popper_after",
    "home_km_before",
    "home_km_after",
    "moved_in",
    "moved_out",
]
_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666"]


def load_inputs(
    data_dir: Path,
) -> tuple[pd.DataFrame, pd.DataFrame | None, gpd.GeoDataFrame | None, Settings]:
    """Read ``clients.csv``, ``reps.csv``, ``zones.geojson`` and ``routeplan.toml`` of a folder.

    Parameters
    ----------
    data_dir
        Folder holding the files; ``reps.csv``, ``zones.geojson`` and the config are optional.

    Returns
    -------
    tuple
        Clients, reps (or None), zones (or None) and settings.

    """
    text = {"client_id": str, "zone": str, "tier": str, "rep_id": str}
    clients = pd.read_csv(data_dir / "clients.csv", dtype=text)
    reps_path = data_dir / "reps.csv"
    reps = (
        pd.read_csv(reps_path, dtype={"rep_id": str, "zone": str}) if reps_path.exists() else None
    )
    zones_path = data_dir / "zones.geojson"
    zones = gpd.read_file(zones_path) if zones_path.exists() else None
    if zones is not None:
        zones["zone"] = zones["zone"].astype(str)
    return clients, reps, zones, load_settings(data_dir / "routeplan.toml")


def before_after_map(result: BalanceResult, before: gpd.GeoDataFrame | None) -> folium.Map:
    """Draw a Folium map with the zones before and after as two switchable layers.

    Parameters
    ----------
    result
        The rebalance result.
    before
        Today's zones (EPSG:4326), or None to show only the new zones.

    Returns
    -------
    folium.Map
        The map, fitted to the new zones.

    """
    minx, miny, maxx, maxy = result.zones.total_bounds
    fmap = folium.Map(tiles="OpenStreetMap", control_scale=True)
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    zone_names = sorted(
        set(result.zones["zone"]) | set(before["zone"] if before is not None else [])
    )
    colour = {z: _COLOURS[i % len(_COLOURS)] for i, z in enumerate(zone_names)}
    layers = [("after", result.zones, True)]
    if before is not None:
        layers.insert(0, ("before", before[["zone", "geometry"]], False))
    for name, gdf, show in layers:
        group = folium.FeatureGroup(name=f"zones {name}", show=show)
        fields = [c for c in ("zone", "rep_id", "clients", "workload_h") if c in gdf]
        folium.GeoJson(
            gdf[[*fields, "geometry"]].to_json(),
            style_function=lambda f: {
                "fillColor": colour.get(f["properties"]["zone"], "#999"),
                "color": "#333",
                "weight": 1,
                "fillOpacity": 0.35,
            },
            tooltip=folium.GeoJsonTooltip(fields=fields),
        ).add_to(group)
        group.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    return fmap


def write_outputs(
    result: BalanceResult, before: gpd.GeoDataFrame | None, out_dir: Path, *, fmt: str = "geojson"
) -> list[Path]:
    """Write new zones, assignment, before/after table and map; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    zones_path = out_dir / f"zones.{'gpkg' if fmt == 'gpkg' else 'geojson'}"
    result.zones.to_file(zones_path, driver="GPKG" if fmt == "gpkg" else "GeoJSON")
    assignment_path = out_dir / "assignment.csv"
    result.assignment.to_csv(assignment_path, index=False)
    summary_path = out_dir / "summary.csv"
    result.summary.to_csv(summary_path, index=False)
    map_path = out_dir / "before_after.html"
    before_after_map(result, before).save(str(map_path))
    return [zones_path, assignment_path, summary_path, map_path]


@click.group()
def zones() -> None:
    """Territories: rebalance zones between reps."""


@zones.command()
@click.option(
    "--data",
    "data_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("data/demo"),
    show_default=True,
    help="Folder with clients.csv, reps.csv, zones.geojson and routeplan.toml.",
)
@click.option("--reps", "n_reps", type=click.IntRange(min=1), help="Number of reps wanted.")
@click.option("--from-scratch", is_flag=True, help="Ignore today's zones (locks still hold).")
@click.option(
    "--move-weight",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Cost of moving clients to another rep; higher keeps more clients where they are.",
)
@click.option(
    "--home-weight",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Pull each zone towards its rep's home (0 = workload centre, 1 = home).",
)
@click.option("--lock-zone", multiple=True, help="Zone that must not change (repeatable).")
@click.option("--remove-zone", multiple=True, help="Zone to dissolve when --reps is lower.")
@click.option(
    "--tolerance",
    type=click.FloatRange(0.001, 0.5),
    default=0.05,
    show_default=True,
    help="Target: every zone's workload within ±tolerance of the mean.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the start.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out/zones"),
    show_default=True,
    help="Folder for zones, assignment.csv, summary.csv and before_after.html.",
)
@click.option("--format", "fmt", type=click.Choice(["geojson", "gpkg"]), default="geojson")
def balance(
    data_dir: Path,
    n_reps: int | None,
    from_scratch: bool,
    move_weight: float,
    home_weight: float,
    lock_zone: tuple[str, ...],
    remove_zone: tuple[str, ...],
    tolerance: float,
    seed: int,
    out_dir: Path,
    fmt: str,
) -> None:
    """Rebalance zones so every rep's weekly workload is within the tolerance of the mean."""
    try:
        clients, reps, current, settings = load_inputs(data_dir)
        options = BalanceOptions(
            n_reps=n_reps,
            from_scratch=from_scratch,
            move_weight=move_weight,
            home_weight=home_weight,
            locked_zones=lock_zone,
            remove_zones=remove_zone,
            tolerance=tolerance,
            seed=seed,
        )
        result = balance_zones(clients, settings, zones=current, reps=reps, options=options)
        paths = write_outputs(result, current, out_dir, fmt=fmt)
    except RouteplanError as exc:
        raise click.ClickException(str(exc)) from exc
    for line in result.warnings:
        click.echo(f"warning: {line}", err=True)
    table = result.summary[[c for c in SUMMARY_COLUMNS if c in result.summary]]
    click.echo(table.round(3).to_string(index=False))
    click.echo(
        f"workload spread {result.spread_before:.1%} -> {result.spread_after:.1%}, "
        f"{result.moved_clients} client(s) moved, {result.seconds:.1f}s"
    )
    failed = [name for name, ok in result.checks.items() if not ok]
    click.echo("checks: " + ("all passed" if not failed else "FAILED " + ", ".join(failed)))
    for path in paths:
        click.echo(f"wrote {path}")
