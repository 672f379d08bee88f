"""``routeplan capacity``: cost to serve, channel recommendations, what-if scenarios, headcount."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from routeplan.cli.localized import LocalizedCommand
from routeplan.cli.numbers import IntegerRange, NumberRange
from routeplan.cli.options import out_option
from routeplan.i18n import N_, _


@click.command(
    "capacity",
    cls=LocalizedCommand,
    help=N_(
        "Cost to serve every account, the channel it deserves, and what-if plans for "
        "headcount.\n\n"
        "Per account: visits a year \u00d7 (service minutes + its share of the routed "
        "drive in the built weeks, else the calibrated estimate) \u00d7 [costs] rep_hour "
        "(+ per_km), against its annual margin (revenue \u00d7 margin); a recommendation "
        "(keep, reduce_cadence, remote_channel, review) with its reason. Writes "
        "OUT/capacity/accounts.csv, summaries per tier, zone and rep, scenarios.csv and "
        "capacity.html.\n\n"
        "Scenarios (combinable), each compared with the baseline after an automatic zones "
        "balance: --reps +2, --cadence B=every_weeks:8, --day-end 18:00, --drop-channel "
        "remote, --scenario FILE.toml. --find-reps answers how many reps the cadences "
        "need; --route-sample N routes N rep-weeks of the scenario to confirm the estimate."
    ),
)
@click.option(
    "--reps",
    default=None,
    metavar="N|+N|-N",
    help=N_("Scenario: a rep count (5) or a change (+2, -1)."),
)
@click.option(
    "--cadence",
    multiple=True,
    metavar="TIER=KEY:VALUE[,KEY:VALUE]",
    help=N_(
        "Scenario: change a tier's cadence, e.g. B=every_weeks:8 or AAA=visits_per_week:3 "
        "(repeatable)."
    ),
)
@click.option(
    "--day-end", default=None, metavar="HH:MM", help=N_("Scenario: every rep's day ends at.")
)
@click.option(
    "--drop-channel",
    multiple=True,
    metavar="remote|phone",
    help=N_("Scenario: accounts recommended for this channel leave the field plan (repeatable)."),
)
@click.option(
    "--scenario",
    "scenario_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_(
        "A saved scenario (TOML: name, reps, day_end, drop_channel, [cadence.TIER]); the "
        "options above are applied on top of it."
    ),
)
@click.option(
    "--find-reps",
    is_flag=True,
    help=N_(
        "Search the fewest reps for which every tier's cadence fits at the target utilisation."
    ),
)
@click.option(
    "--target",
    type=NumberRange(0.05, 1.0),
    default=None,
    help=N_("Target utilisation for --find-reps [default: [capacity] target_utilisation, 0.85]."),
)
@click.option(
    "--route-sample",
    type=IntegerRange(min=0),
    default=0,
    show_default=True,
    help=N_(
        "Route this many rep-weeks of the scenario with the real solver to check the "
        "estimate (route-sample.csv)."
    ),
)
@out_option(N_("Output root; files go to OUT/capacity/."))
@click.pass_obj
def capacity(
    obj: Any,
    reps: str | None,
    cadence: tuple[str, ...],
    day_end: str | None,
    drop_channel: tuple[str, ...],
    scenario_file: Path | None,
    find_reps: bool,
    target: float | None,
    route_sample: int,
    out: Path,
) -> None:
    """Cost to serve every account, the channel it deserves, and what-if plans for headcount."""
    from routeplan.capacity.scenario import Scenario, scenario_from_options, scenario_from_toml
    from routeplan.config import load_settings
    from routeplan.i18n import use_language
    from routeplan.jobs.capacity import CapacityRequest, run_capacity

    source = obj.source
    settings = load_settings(
        source.config_path or source.data_dir / "routeplan.toml",
        required=source.config_path is not None,
    )
    tiers = settings.tier_names
    base = scenario_from_toml(scenario_file, tiers) if scenario_file else None
    scenarios: tuple[Scenario, ...] = ()
    if base is not None or reps or cadence or day_end or drop_channel:
        scenarios = (
            scenario_from_options(
                tiers,
                reps=reps,
                cadence=cadence,
                day_end=day_end,
                drop_channels=drop_channel,
                base=base,
            ),
        )
    request = CapacityRequest(
        scenarios=scenarios, find_reps=find_reps, target=target, route_sample=route_sample
    )
    with use_language(settings.ui.language):  # reasons, labels and the page in [ui] language
        outcome = run_capacity(source, request, out_dir=out)
        for warning in outcome.prepared.warnings:
            click.secho(_("Warning: {warning}", warning=warning), fg="yellow", err=True)
        for result in outcome.results:
            for warning in result.warnings:
                text = _(
                    "Warning ({scenario}): {warning}",
                    scenario=result.scenario.name,
                    warning=warning,
                )
                click.secho(text, fg="yellow", err=True)
        _print(outcome)


def _print(outcome: Any) -> None:
    from routeplan.capacity.compare import comparison_table, summary_for_display
    from routeplan.cli.console import console, print_table
    from routeplan.i18n import _, format_number, format_percent

    settings = outcome.prepared.settings
    if outcome.routed_weeks:
        console.print(
            _(
                "Drive per visit from the routed weeks {weeks}; other accounts use the "
                "estimate × {factor}.",
                weeks=", ".join(str(w) for w in outcome.routed_weeks),
                factor=format_number(outcome.calibration, 2),
            )
        )
    else:
        console.print(
            _("No built week in the plan store: drive per visit is the density estimate.")
        )
    print_table(summary_for_display(outcome.summaries["tier"]), title=_("Cost to serve per tier"))
    counts = outcome.accounts["recommendation"].value_counts()
    console.print(
        _("Recommendations: {counts}.", counts=", ".join(f"{k} {v}" for k, v in counts.items()))
    )
    print_table(
        comparison_table(outcome.results, settings.tier_names),
        title=_("Baseline and scenarios (after an automatic zones balance)"),
    )
    if outcome.headcount is not None:
        answer = outcome.headcount
        console.print(
            _(
                "Headcount: {reps} reps at a target utilisation of {target}.",
                reps=answer.reps,
                target=format_percent(answer.target),
            )
        )
        for line in answer.reasoning:
            console.print(f"  {line}")
        zones = answer.result.per_rep[["zone", "rep_id", "accounts", "workload_h", "utilisation"]]
        zones = zones.assign(utilisation=[format_percent(u) for u in zones["utilisation"]])
        print_table(zones, title=_("Zones it would draw"))
    if outcome.sample is not None:
        sample = outcome.sample.table
        console.print(
            _(
                "Routed check of {count} rep-weeks ({seconds} s): {routed} h routed against "
                "{estimated} h estimated for the same visits (ratio {ratio}); {dropped} of "
                "{due} due visits dropped.",
                count=len(sample),
                seconds=format_number(outcome.sample.seconds, 1),
                routed=format_number(float(sample["routed_h"].sum()), 1),
                estimated=format_number(float(sample["estimated_planned_h"].sum()), 1),
                ratio=format_number(outcome.sample.ratio, 2),
                dropped=int(sample["dropped"].sum()),
                due=int(sample["due_visits"].sum()),
            )
        )
    console.print(_("Wrote {files}.", files=", ".join(str(p) for p in outcome.written)))
