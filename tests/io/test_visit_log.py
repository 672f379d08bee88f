"""CRM visit log: parsed, normalised, and every problem reported with row and column."""

from __future__ import annotations

import pytest

from routeplan.errors import InputError
from routeplan.io.visit_log import visit_log_from_csv

KNOWN = ["C1", "C2", "C3"]


def write(tmp_path, text: str):
    path = tmp_path / "visits.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_and_normalises_a_crm_export(tmp_path) -> None:
    path = write(
        tmp_path,
        "Customer_ID,Visit_Date,Outcome,Rep,Comment\n"
        "C1,2027-01-05,Visited,R1,ok\n"
        "C2,2027-01-06T10:30:00,no-show,R1,closed\n"
        "C3, 2027-01-07 09:00,DONE,,\n",
    )
    log = visit_log_from_csv(path, KNOWN)
    assert log.columns.tolist() == ["client_id", "date", "status", "rep_id", "note"]
    assert log.values.tolist() == [
        ["C1", "2027-01-05", "done", "R1", "ok"],
        ["C2", "2027-01-06", "missed", "R1", "closed"],
        ["C3", "2027-01-07", "done", "", ""],
    ]


def test_every_problem_is_reported_with_row_and_column(tmp_path) -> None:
    path = write(
        tmp_path,
        "client_id,date,status\n"
        "C1,2027-01-05,done\n"
        "C9,2027-01-05,done\n"
        "C2,05/01/2027,done\n"
        "C3,2027-02-30,maybe\n",
    )
    with pytest.raises(InputError) as info:
        visit_log_from_csv(path, KNOWN)
    where = [(p.row, p.column) for p in info.value.problems]
    assert where == [(3, "client_id"), (4, "date"), (5, "date"), (5, "status")]
    assert "unknown client 'C9'" in str(info.value)
    assert "(and 3 more problem(s))" in str(info.value)
    assert info.value.file == str(path)


def test_missing_columns_and_missing_file(tmp_path) -> None:
    path = write(tmp_path, "client_id,when\nC1,2027-01-05\n")
    with pytest.raises(InputError, match=r"missing column 'date'") as info:
        visit_log_from_csv(path, KNOWN)
    assert [p.column for p in info.value.problems] == ["date", "status"]
    with pytest.raises(InputError, match="file not found"):
        visit_log_from_csv(tmp_path / "nope.csv", KNOWN)


def test_empty_file_is_an_input_error(tmp_path) -> None:
    with pytest.raises(InputError, match="not a readable CSV"):
        visit_log_from_csv(write(tmp_path, ""), KNOWN)
