"""``routeplan access``: who may use the field app, and their sign-in links."""

from __future__ import annotations

from typing import Any

import click

from routeplan.cli.console import console
from routeplan.cli.localized import LocalizedGroup
from routeplan.cli.numbers import INTEGER, NUMBER
from routeplan.i18n import N_, _, ngettext


@click.group(
    "access",
    cls=LocalizedGroup,
    help=N_("People of the field app (routeplan serve): reps, managers, sign-in links."),
)
def access_group() -> None:
    """People of the field app (routeplan serve): reps, managers, sign-in links."""


@access_group.command("add-rep", help=N_("Give rep REP_ID of reps.csv access to their own plan."))
@click.argument("rep_id")
@click.pass_obj
def add_rep_command(obj: Any, rep_id: str) -> None:
    """Give rep REP_ID of reps.csv access to their own plan."""
    from routeplan.jobs.serve import add_rep

    person = add_rep(obj.source, rep_id)
    console.print(
        _(
            "Rep {rep} ({name}) has access; send them: routeplan access link {person}",
            rep=person.rep_id,
            name=person.name,
            person=person.person_id,
        )
    )


@access_group.command(
    "add-manager", help=N_("Give manager NAME access to the reps of their zones (or all).")
)
@click.argument("name")
@click.option("--zones", default="", help=N_("Zones they watch, comma-separated [default: all]."))
@click.pass_obj
def add_manager_command(obj: Any, name: str, zones: str) -> None:
    """Give manager NAME access to the reps of their zones (or all)."""
    from routeplan.jobs.serve import add_manager

    chosen = tuple(z.strip() for z in zones.split(",") if z.strip())
    person = add_manager(obj.source, name, chosen)
    if person.zones:
        text = _(
            "Manager {name} has access to zones {zones}.",
            name=person.name,
            zones=", ".join(person.zones),
        )
    else:
        text = _("Manager {name} has access to every zone.", name=person.name)
    console.print(text)


@access_group.command(
    "link", help=N_("Print a one-time sign-in URL for PERSON_ID (a rep id or a manager's name).")
)
@click.argument("person_id")
@click.option(
    "--base-url", default="http://127.0.0.1:8000", show_default=True,
    help=N_("Address the phones reach the server at."),
)  # fmt: skip
@click.option("--hours", type=NUMBER, default=24.0, show_default=True, help=N_("Link lifetime."))
@click.pass_obj
def link_command(obj: Any, person_id: str, base_url: str, hours: float) -> None:
    """Print a one-time sign-in URL for PERSON_ID (a rep id or a manager's name)."""
    from routeplan.jobs.serve import sign_in_link

    if hours <= 0:
        raise click.BadParameter(_("must be positive"), param_hint="--hours")
    link = sign_in_link(obj.source, person_id, base_url=base_url, hours=hours)
    click.echo(link.url)
    until = f"{link.expires_at:%Y-%m-%d %H:%M}"
    click.echo(_("(works once, until {until} UTC)", until=until), err=True)


@access_group.command(
    "token", help=N_("Print a Bearer token of PERSON_ID for the JSON API (shown once).")
)
@click.argument("person_id")
@click.option("--days", type=INTEGER, default=30, show_default=True, help=N_("Token lifetime."))
@click.pass_obj
def token_command(obj: Any, person_id: str, days: int) -> None:
    """Print a Bearer token of PERSON_ID for the JSON API (shown once)."""
    from routeplan.jobs.serve import api_token

    if days <= 0:
        raise click.BadParameter(_("must be positive"), param_hint="--days")
    click.echo(api_token(obj.source, person_id, days=days))


@access_group.command(
    "revoke", help=N_("End PERSON_ID's access: every session, token and unused link stops working.")
)
@click.argument("person_id")
@click.pass_obj
def revoke_command(obj: Any, person_id: str) -> None:
    """End PERSON_ID's access: every session, token and unused link stops working."""
    from routeplan.jobs.serve import revoke

    ended = revoke(obj.source, person_id)
    console.print(
        ngettext(
            "Revoked {person}: {count} token ended.",
            "Revoked {person}: {count} tokens ended.",
            ended,
            person=person_id,
        )
    )


@access_group.command("list", help=N_("List everyone with access."))
@click.pass_obj
def list_command(obj: Any) -> None:
    """List everyone with access."""
    from routeplan.jobs.serve import people

    for person, revoked in people(obj.source):
        role = _("rep") if person.role == "rep" else _("manager")
        what = person.rep_id if person.role == "rep" else (",".join(person.zones) or _("all zones"))
        state = f" {_('(revoked)')}" if revoked else ""
        console.print(f"{role:8} {person.person_id:16} {person.name} · {what}{state}")
