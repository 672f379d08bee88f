"""CRM and Excel exports as sales teams in Spain, Latin America and Brazil hand them over.

Each writer takes the tiny world's clients and writes them the way a given locale does: the
header names, the separator, the decimal mark, the encoding and the line ends.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.world import tiny_clients

SPANISH_HEADERS = {
    "client_id": "Código Cliente",
    "name": "Razón Social",
    "lat": "Latitud",
    "lon": "Longitud",
    "address": "Dirección",
    "revenue": "Ventas",
    "margin": "Margen",
    "orders_per_year": "Pedidos/Año",
    "potential": "Potencial",
    "tier": "Nivel",
    "zone": "Zona",
    "opens": "Apertura",
    "closes": "Cierre",
    "service_min": "Duración Visita",
}

PORTUGUESE_HEADERS = {
    "client_id": "Código",
    "name": "Nome",
    "lat": "Latitude",
    "lon": "Longitude",
    "address": "Endereço",
    "revenue": "Faturamento",
    "margin": "Margem",
    "orders_per_year": "Pedidos",
    "potential": "Potencial",
    "tier": "Classificação",
    "zone": "Território",
    "opens": "Abertura",
    "closes": "Fechamento",
    "service_min": "Tempo Visita",
}


def comma_number(value: float, *, decimals: int = 2, group: str = ".") -> str:
    """``1234567.891`` → ``1.234.567,89`` (grouped thousands, decimal comma)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", group)


def localised_clients(
    headers: dict[str, str],
    *,
    money: str = "{}",
    twelve_hour: bool = False,
    clients: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The tiny clients with local headers, decimal commas and local money/hours formats."""
    table = (clients if clients is not None else tiny_clients()).astype(object)
    for column in ("lat", "lon"):
        table[column] = [comma_number(v, decimals=5, group="") for v in table[column]]
    table["margin"] = [comma_number(v, decimals=3) for v in table["margin"]]
    for column in ("revenue", "potential"):
        table[column] = [money.format(comma_number(v)) for v in table[column]]
    table["address"] = [f"Cra. {i} # 12-3{i % 9}, Bogotá" for i in range(len(table))]
    table["name"] = [f"Droguería Señora {i}" for i in range(len(table))]
    if twelve_hour:
        table["opens"] = ["8:00 a. m." if v else "" for v in table["opens"]]
        table["closes"] = ["6:00 p. m." if v else "" for v in table["closes"]]
    return table.rename(columns=headers)


def write_text_table(
    table: pd.DataFrame, path: Path, *, separator: str, encoding: str, newline: str
) -> Path:
    """Write ``table`` as CSV the way Excel does: no index, given separator and line end."""
    text = table.to_csv(index=False, sep=separator, lineterminator=newline)
    path.write_bytes(text.encode(encoding))
    return path
