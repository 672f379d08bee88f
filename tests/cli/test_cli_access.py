"""`routeplan access` and `routeplan serve --help` through the CLI."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from routeplan.cli.main import main
from routeplan.planning.people import check_token
from routeplan.planning.store import PlanStore


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_access_commands(world: Path) -> None:
    data = str(world)
    added = run("--data", data, "access", "add-rep", "R1")
    assert added.exit_code == 0, added.output
    assert "R1" in added.output
    unknown = run("--data", data, "access", "add-rep", "R9")
    assert unknown.exit_code == 1 and "rep 'R9' is not in the reps file" in unknown.output
    bad_zone = run("--data", data, "access", "add-manager", "Mia", "--zones", "Z1,Z7")
    assert bad_zone.exit_code == 1 and "unknown zone(s) Z7" in bad_zone.output
    assert run("--data", data, "access", "add-manager", "Mia", "--zones", "Z1").exit_code == 0
    link = run("--data", data, "access", "link", "R1", "--base-url", "https://field.example")
    assert link.exit_code == 0
    url = link.output.splitlines()[0]
    assert url.startswith("https://field.example/signin?token=")
    token = url.split("token=")[1]
    with PlanStore(world / "plan.sqlite") as store:
        assert check_token(store, token, kinds=("link",)) is not None
        stored = store.query("SELECT token_hash FROM tokens")
    assert all(token not in row[0] for row in stored)  # only the hash is kept
    nobody = run("--data", data, "access", "link", "R2")
    assert nobody.exit_code == 1 and "no person 'R2'" in nobody.output
    listed = run("--data", data, "access", "list")
    assert "R1" in listed.output and "Mia" in listed.output
    revoked = run("--data", data, "access", "revoke", "R1")
    assert revoked.exit_code == 0 and "Revoked R1: 1 token ended." in revoked.output
    with PlanStore(world / "plan.sqlite") as store:
        assert check_token(store, token, kinds=("link",)) is None


def test_serve_help_is_a_manual() -> None:
    result = run("serve", "--help")
    assert result.exit_code == 0
    assert "--port" in result.output and "access link" in result.output


def test_log_export_writes_every_source_and_no_formula(world: Path, tmp_path: Path) -> None:
    import datetime as dt

    import pandas as pd

    from routeplan.planning.field_log import FieldVisit, record_field_visit

    with PlanStore(world / "plan.sqlite") as store:
        imported = pd.DataFrame(
            [{"client_id": "C001", "date": "2027-01-04", "status": "missed", "rep_id": "R2",
              "note": "crm"}]
        )  # fmt: skip
        store.record_visits(imported, cycle_start=dt.date(2027, 1, 4))
        visit = FieldVisit("C000", "R1", "2027-01-05", 1, "closed", note='=HYPERLINK("x")',
                           lat=60.2, lon=24.8, order_value=12.5)  # fmt: skip
        record_field_visit(store, visit, person_id="R1", key="export-key-1")
    out = tmp_path / "log.csv"
    result = run("--data", str(world), "log", "export", str(out))
    assert result.exit_code == 0, result.output
    log = pd.read_csv(out, keep_default_na=False)
    assert log["source"].tolist() == ["import", "field"]
    assert log["outcome"].tolist() == ["", "closed"] and log["status"].tolist() == ["missed"] * 2
    assert log.loc[1, "note"] == '\'=HYPERLINK("x")'
    assert float(log.loc[1, "order_value"]) == 12.5
    since = run("--data", str(world), "log", "export", str(out), "--since", "2027-01-05")
    assert since.exit_code == 0 and len(pd.read_csv(out)) == 1
    assert run("--data", str(world), "log", "export", str(out), "--since", "soon").exit_code == 2
