"""``routeplan serve``: run the field app over the data folder's plan store."""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import Any

import click

from routeplan.cli.localized import LocalizedCommand
from routeplan.cli.numbers import INTEGER
from routeplan.i18n import N_, _


def _addresses(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--trusted-proxy`` values, each an IP address (else a usage error)."""
    for value in values:
        try:
            ipaddress.ip_address(value)
        except ValueError:
            raise click.BadParameter(
                _("{value} is not an IP address.", value=value), param_hint="--trusted-proxy"
            ) from None
    return values


@click.command(
    "serve",
    cls=LocalizedCommand,
    help=N_(
        "Run the field app: reps' phone pages, managers' live page, JSON API /api/v1.\n\n"
        "Give people access with `routeplan access add-rep R1` and send them the URL of "
        "`routeplan access link R1`. Put it behind HTTPS (a reverse proxy) for real use: "
        "the session cookie is Secure. A `build` may run while it serves."
    ),
)
@click.option("--host", default="127.0.0.1", show_default=True, help=N_("Address to listen on."))
@click.option(
    "--port", type=INTEGER, default=8000, show_default=True, help=N_("Port to listen on.")
)
@click.option(
    "--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
    help=N_("Treat this date as today (demos) [default: the clock in the cycle's time zone]."),
)  # fmt: skip
@click.option(
    "--insecure-cookies", is_flag=True,
    help=N_("Send the session cookie over plain HTTP too (a trial on a LAN without HTTPS)."),
)  # fmt: skip
@click.option(
    "--fast-commits", is_flag=True,
    help=N_("Acknowledge a write once it survives a killed server, without waiting for the "
    "disk (a power cut may lose the last seconds); many more writes per second."),
)  # fmt: skip
@click.option(
    "--trusted-proxy", "trusted_proxies", multiple=True, metavar="ADDRESS",
    callback=lambda _ctx, _param, value: _addresses(value),
    help=N_(
        "A reverse proxy in front of the app (repeat for more): its X-Forwarded-For header "
        "names the client for the sign-in rate limit [default: none, the header is ignored]."
    ),
)  # fmt: skip
@click.pass_obj
def serve(
    obj: Any,
    host: str,
    port: int,
    today: dt.datetime | None,
    insecure_cookies: bool,
    fast_commits: bool,
    trusted_proxies: tuple[str, ...],
) -> None:
    """Run the field app: reps' phone pages, managers' live page, JSON API /api/v1."""
    import uvicorn

    from routeplan.jobs.serve import field_app
    from routeplan.serve.options import ServeOptions

    options = ServeOptions(
        today=today.date() if today else None,
        secure_cookies=not insecure_cookies,
        power_safe_commits=not fast_commits,
        trusted_proxies=trusted_proxies,
    )
    app = field_app(obj.source, options)
    url = f"http://{host}:{port}"
    click.echo(_("Serving {data} on {url} (Ctrl+C stops)", data=obj.data, url=url), err=True)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info" if obj.verbose else "warning",
        timeout_keep_alive=75,  # longer than phones' and proxies' idle keep-alive
    )
