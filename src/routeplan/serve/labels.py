"""Every word the field app's pages show, translated in the request's language.

Templates and the page script read these labels (``t.check_in`` in Jinja, ``T.check_in`` in
JavaScript), so every string goes through :mod:`routeplan.i18n` and its catalogs
(``serve.po``); machine codes (outcomes, reason codes) stay English.
"""

from __future__ import annotations

from routeplan.i18n import _


def page_labels() -> dict[str, str]:
    """Labels of the pages and the page script, in the current language."""
    return {
        "app_name": _("routeplan field"),
        "signin_title": _("Sign in"),
        "signin_intro": _("This link signs you in on this phone. It works once."),
        "signin_button": _("Sign in on this phone"),
        "signin_failed": _("This sign-in link is invalid, expired or already used."),
        "signin_ask": _("Ask your manager for a new sign-in link."),
        "signin_limited": _("Too many sign-in attempts. Wait a few minutes and try again."),
        "signed_out": _("You are signed out."),
        "sign_out": _("Sign out"),
        "not_signed_in": _("You are not signed in."),
        "today_title": _("Today's route"),
        "no_plan": _("No route is planned for you on this day."),
        "no_week": _("This day is outside the planning cycle."),
        "stops": _("Stops"),
        "lunch": _("Lunch break"),
        "navigate": _("Navigate"),
        "call": _("Call"),
        "check_in": _("Check in"),
        "check_out": _("Save and check out"),
        "checked_in": _("Checked in"),
        "outcome": _("Outcome"),
        "outcome_done": _("Done"),
        "outcome_missed": _("Missed"),
        "outcome_rescheduled": _("Rescheduled"),
        "outcome_closed": _("Closed"),
        "reason": _("Reason"),
        "reason_none": _("(no reason)"),
        "reason_absent": _("Buyer not available"),
        "reason_closed": _("Shop closed"),
        "reason_traffic": _("Traffic or delay"),
        "reason_customer": _("Customer asked to move it"),
        "reason_other": _("Other"),
        "order_value": _("Order value"),
        "note": _("Note"),
        "planned_at": _("Planned at"),
        "distance_to_client": _("Distance to the client"),
        "no_position": _("Position not available"),
        "replan": _("Re-plan the rest of today"),
        "replan_result": _("New order of the remaining stops"),
        "replan_dropped": _("Cannot fit today (moved to the backlog)"),
        "replan_none": _("Nothing left to re-plan today."),
        "queued": _("Saved on the phone; it will be sent when back online."),
        "sent": _("Saved."),
        "pending": _("Waiting to send"),
        "offline": _("Offline"),
        "online": _("Online"),
        "status_done": _("Done"),
        "status_missed": _("Missed"),
        "status_open": _("To do"),
        "live_title": _("The day live"),
        "rep": _("Rep"),
        "done": _("done"),
        "missed": _("missed"),
        "remaining": _("remaining"),
        "last_check_in": _("Last check-in"),
        "km_so_far": _("km so far (plan)"),
        "km_day": _("km planned today"),
        "compliance": _("Compliance to date"),
        "none_yet": _("none yet"),
        "refresh_note": _("This page refreshes itself every 30 seconds."),
        "error": _("Something went wrong"),
        "zones_week": _("Zones this week"),
        "zone_progress": _("{done} of {planned} visits done", done="{done}", planned="{planned}"),
        "zone_no_plan": _("No visits planned this week"),
        "map_attribution": _("© OpenStreetMap contributors"),
        "signout_unsent": _(
            "Some visits are not sent yet; signing out deletes them from this phone. "
            "Sign out anyway?"
        ),
        "signed_out_cleared": _("Nothing of your plan stays on this phone."),
    }
