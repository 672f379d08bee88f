"""Exports from Spanish-, Portuguese- and English-locale Excel and CRMs read with no settings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from helpers.locale_files import (
    PORTUGUESE_HEADERS,
    SPANISH_HEADERS,
    localised_clients,
    write_text_table,
)
from helpers.world import tiny_clients, write_world

from routeplan.config import Settings, settings_from_dict
from routeplan.errors import InputError
from routeplan.io.readers import load_inputs
from routeplan.io.tables import read_input_table


def _world(tmp_path: Path) -> Path:
    folder = write_world(tmp_path / "data")
    (folder / "clients.csv").unlink()
    return folder


def _expected() -> pd.DataFrame:
    return tiny_clients()


def _assert_same_clients(loaded: pd.DataFrame) -> None:
    expected = _expected()
    assert list(loaded["client_id"]) == list(expected["client_id"])
    assert loaded["lat"].to_numpy() == pytest.approx(expected["lat"].to_numpy(), abs=1e-5)
    assert loaded["lon"].to_numpy() == pytest.approx(expected["lon"].to_numpy(), abs=1e-5)
    assert loaded["revenue"].to_numpy() == pytest.approx(expected["revenue"].to_numpy())
    assert loaded["margin"].to_numpy() == pytest.approx(expected["margin"].to_numpy())


def test_spanish_excel_csv_bom_semicolon_decimal_comma_crlf(tmp_path: Path) -> None:
    folder = _world(tmp_path)
    path = write_text_table(
        localised_clients(SPANISH_HEADERS),
        folder / "clients.csv",
        separator=";",
        encoding="utf-8-sig",
        newline="\r\n",
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    inputs = load_inputs(folder, Settings())
    _assert_same_clients(inputs.clients)
    assert inputs.clients["name"].iloc[0] == "Droguería Señora 0"
    assert inputs.clients["address"].iloc[3] == "Cra. 3 # 12-33, Bogotá"
    assert inputs.detected[0] == "clients.csv: UTF-8 (BOM), ';' separator, decimal comma"
    assert inputs.notes == []


def test_cp1252_file(tmp_path: Path) -> None:
    folder = _world(tmp_path)
    write_text_table(
        localised_clients(SPANISH_HEADERS),
        folder / "clients.csv",
        separator=";",
        encoding="cp1252",
        newline="\r\n",
    )
    inputs = load_inputs(folder, Settings())
    _assert_same_clients(inputs.clients)
    assert inputs.clients["name"].iloc[1] == "Droguería Señora 1"
    assert inputs.detected[0] == "clients.csv: cp1252, ';' separator, decimal comma"


def test_brazilian_export_with_reais(tmp_path: Path) -> None:
    folder = _world(tmp_path)
    write_text_table(
        localised_clients(PORTUGUESE_HEADERS, money="R$ {}"),
        folder / "clients.csv",
        separator=";",
        encoding="utf-8",
        newline="\n",
    )
    text = (folder / "clients.csv").read_text(encoding="utf-8")
    assert "R$ 1.600.000,00" in text
    inputs = load_inputs(folder, Settings())
    _assert_same_clients(inputs.clients)


def test_utf16_tab_separated(tmp_path: Path) -> None:
    folder = _world(tmp_path)
    write_text_table(
        localised_clients(SPANISH_HEADERS),
        folder / "clients.csv",
        separator="\t",
        encoding="utf-16",
        newline="\r\n",
    )
    inputs = load_inputs(folder, Settings())
    _assert_same_clients(inputs.clients)
    assert inputs.detected[0].startswith("clients.csv: UTF-16, tab separator")


def test_twelve_hour_times(tmp_path: Path) -> None:
    folder = _world(tmp_path)
    write_text_table(
        localised_clients(SPANISH_HEADERS, twelve_hour=True),
        folder / "clients.csv",
        separator=";",
        encoding="utf-8",
        newline="\n",
    )
    clients = load_inputs(folder, Settings()).clients
    assert set(clients["opens"].dropna()) == {"08:00"}
    assert set(clients["closes"].dropna()) == {"18:00"}


def test_xlsx_with_title_row_and_two_sheets(tmp_path: Path) -> None:
    folder = _world(tmp_path)
    clients = tiny_clients()
    with pd.ExcelWriter(folder / "clients.xlsx") as book:
        pd.DataFrame({"Resumen": ["Total", "40"]}).to_excel(book, sheet_name="Resumen", index=False)
        title = pd.DataFrame([["Cartera de clientes — zona norte, diciembre 2026"]])
        title.to_excel(book, sheet_name="Clientes", index=False, header=False)
        clients.rename(columns=SPANISH_HEADERS).to_excel(
            book, sheet_name="Clientes", index=False, startrow=2
        )
    inputs = load_inputs(folder, Settings())
    _assert_same_clients(inputs.clients)
    assert inputs.detected[0] == "clients.xlsx: sheet 'Clientes', header on row 3"
    assert inputs.clients["file_row"].iloc[0] == 4  # the row Excel shows


def test_xlsx_real_numbers_are_not_reinterpreted(tmp_path: Path) -> None:
    """A real number 1234.567 in a workbook is 1234.567, whatever a text '1.234' would mean."""
    folder = _world(tmp_path)
    clients = tiny_clients()
    clients["revenue"] = 1234.567
    clients.to_excel(folder / "clients.xlsx", index=False)
    loaded = load_inputs(folder, Settings()).clients
    assert loaded["revenue"].iloc[0] == pytest.approx(1234.567)


def test_xlsx_sheet_and_header_row_settings(tmp_path: Path) -> None:
    folder = _world(tmp_path)
    with pd.ExcelWriter(folder / "clients.xlsx") as book:
        tiny_clients().iloc[:5].to_excel(book, sheet_name="viejo", index=False)
        tiny_clients().to_excel(book, sheet_name="nuevo", index=False)
    settings = settings_from_dict({"input": {"sheet": "nuevo", "header_row": 1}})
    assert len(load_inputs(folder, settings).clients) == 40
    settings = settings_from_dict({"input": {"sheet": 3}})
    with pytest.raises(InputError, match=r"clients\.xlsx: no sheet '3'"):
        load_inputs(folder, settings)


def test_ambiguous_thousands_are_named_with_the_setting(tmp_path: Path) -> None:
    folder = _world(tmp_path)
    clients = tiny_clients().astype(object)
    clients["revenue"] = "1.234"
    clients.to_csv(folder / "clients.csv", index=False)
    inputs = load_inputs(folder, Settings())
    assert inputs.clients["revenue"].iloc[0] == pytest.approx(1.234)
    assert len(inputs.notes) == 1
    assert "column 'revenue': '1.234' could be read either way" in inputs.notes[0]
    assert '[input] decimal = ","' in inputs.notes[0]
    settings = settings_from_dict({"input": {"decimal": ","}})
    assert load_inputs(folder, settings).clients["revenue"].iloc[0] == 1234


def test_wrong_separator_is_one_file_wide_message(tmp_path: Path) -> None:
    folder = _world(tmp_path)
    write_text_table(
        localised_clients(SPANISH_HEADERS),
        folder / "clients.csv",
        separator=";",
        encoding="utf-8",
        newline="\n",
    )
    settings = settings_from_dict({"input": {"separator": ","}})
    with pytest.raises(InputError) as info:
        load_inputs(folder, settings, skip_invalid=True)
    assert len(info.value.problems) == 1
    assert "read with ',' as separator, the file has a single column" in info.value.message
    assert "';'" in info.value.message
    assert info.value.hint == 'set [input] separator = ";" (or remove it to detect)'


def test_explicit_mapping_wins_over_synonyms(tmp_path: Path) -> None:
    folder = _world(tmp_path)
    clients = tiny_clients().rename(columns={"client_id": "Código SAP", "revenue": "Ventas 2025"})
    clients["Ventas"] = 1.0  # a synonym of revenue, but the mapping names another column
    clients.to_csv(folder / "clients.csv", index=False)
    settings = settings_from_dict(
        {"columns": {"clients": {"client_id": "codigo sap", "revenue": "Ventas 2025"}}}
    )
    loaded = load_inputs(folder, settings).clients
    assert loaded["client_id"].iloc[0] == "C000"
    assert loaded["revenue"].iloc[0] == pytest.approx(tiny_clients()["revenue"].iloc[0])


def test_explicit_mapping_to_absent_header_is_file_wide(tmp_path: Path) -> None:
    folder = write_world(tmp_path / "data")
    settings = settings_from_dict({"columns": {"clients": {"client_id": "NIT"}}})
    with pytest.raises(InputError, match=r"\[columns\.clients\] client_id.*no column 'NIT'"):
        load_inputs(folder, settings)


def test_missing_column_names_synonyms_and_mapping(tmp_path: Path) -> None:
    folder = write_world(tmp_path / "data", clients=tiny_clients().drop(columns=["margin"]))
    with pytest.raises(InputError) as info:
        load_inputs(folder, Settings(), skip_invalid=True)
    problem = info.value.problems[0]
    assert (problem.column, problem.kind) == ("margin", "missing_column")
    assert "[columns]" in (problem.hint or "")


def test_percent_margin_and_reps_in_spanish(tmp_path: Path) -> None:
    folder = _world(tmp_path)
    clients = tiny_clients().astype(object)
    clients["margin"] = [f"{v * 100:.1f} %".replace(".", ",") for v in tiny_clients()["margin"]]
    clients.to_csv(folder / "clients.csv", index=False, sep=";")
    reps = pd.read_csv(folder / "reps.csv", dtype=str)
    reps = reps.rename(
        columns={
            "rep_id": "Código Vendedor",
            "name": "Nombre",
            "home_lat": "Latitud Casa",
            "home_lon": "Longitud Casa",
            "zone": "Zona",
            "workdays": "Días Laborales",
            "day_start": "Hora Inicio",
            "day_end": "Hora Fin",
        }
    )
    reps["Días Laborales"] = ["lun a vie", "seg, ter, qua"]
    reps["Hora Fin"] = ["5:00 p. m.", "5:30 PM"]
    reps.to_csv(folder / "reps.csv", index=False, sep=";")
    inputs = load_inputs(folder, Settings())
    assert inputs.clients["margin"].to_numpy() == pytest.approx(tiny_clients()["margin"].to_numpy())
    assert list(inputs.reps["workdays"]) == ["Mon Tue Wed Thu Fri", "Mon Tue Wed"]
    assert list(inputs.reps["day_end"]) == ["17:00", "17:30"]


def test_read_input_table_keeps_row_numbers_past_title_rows(tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_text("Reporte de ventas\n\nclient_id,name\nC1,Uno\n\nC2,Dos\n", encoding="utf-8")
    table = read_input_table(path, known=frozenset({"client_id", "name"}))
    assert table.header_row == 3
    assert list(table.frame.index) == [4, 6]
