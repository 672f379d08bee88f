"""Column names as sales teams write them: English, Spanish and Portuguese synonyms.

Headers are compared after :func:`header_key` (lower case, no accents, runs of anything but
letters and digits as ``_``), so ``Razón Social``, ``razon social`` and ``RAZON_SOCIAL`` are the
same name. An explicit ``[columns.clients]`` / ``[columns.reps]`` mapping wins over synonyms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from routeplan.errors import Problem
from routeplan.i18n import _


def header_key(header: str) -> str:
    """The form headers are compared in.

    Parameters
    ----------
    header
        A header as written in the file.

    Returns
    -------
    str
        Lower case, accents removed, other characters as single ``_``.

    Examples
    --------
    >>> header_key(" Razón Social "), header_key("Pedidos/Año"), header_key("Endereço")
    ('razon_social', 'pedidos_ano', 'endereco')

    """
    ascii_text = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def _synonyms(table: dict[str, str]) -> dict[str, tuple[str, ...]]:
    return {column: tuple(words.split()) for column, words in table.items()}


_SHARED = {
    "name": "name nombre nome razon_social razao_social nombre_cliente nome_cliente "
    "nombre_comercial nome_fantasia client_name customer_name account_name",
    "zone": "zone zona territorio territory zona_venta zona_de_venta regiao_de_venda",
    "phone": "phone telefono telefone tel celular movil mobile whatsapp",
    "email": "email e_mail correo correo_electronico",
}

CLIENT_SYNONYMS: dict[str, tuple[str, ...]] = _synonyms(
    {
        "client_id": "client_id codigo_cliente cliente_id id_cliente cod_cliente codigo "
        "codigo_do_cliente customer_id account_id id nit ruc rut cnpj cliente",
        "name": _SHARED["name"],
        "lat": "lat latitud latitude",
        "lon": "lon lng long longitud longitude",
        "address": "address direccion endereco domicilio logradouro direccion_completa "
        "endereco_completo street_address",
        "revenue": "revenue ventas facturacion venta_anual ventas_anuales faturamento "
        "faturamento_anual vendas vendas_anuais receita annual_revenue sales ingresos",
        "margin": "margin margen margem margen_bruto margem_bruta gross_margin",
        "orders_per_year": "orders_per_year pedidos_ano pedidos_por_ano pedidos_anuales "
        "pedidos_al_ano pedidos num_pedidos numero_de_pedidos orders",
        "potential": "potential potencial potencial_anual potential_revenue",
        "tier": "tier nivel clasificacion classificacao clase_abc abc",
        "zone": _SHARED["zone"],
        "opens": "opens open abre apertura hora_apertura horario_apertura abertura "
        "hora_abertura opening open_time",
        "closes": "closes close cierra cierre hora_cierre horario_cierre fecha fechamento "
        "hora_fechamento closing close_time",
        "service_min": "service_min duracion_visita tiempo_visita minutos_visita "
        "duracao_visita tempo_visita service_minutes visit_min",
        "phone": _SHARED["phone"],
        "email": _SHARED["email"],
    }
)
"""routeplan's clients columns → accepted header names (after :func:`header_key`), by rank."""

REP_SYNONYMS: dict[str, tuple[str, ...]] = _synonyms(
    {
        "rep_id": "rep_id codigo_vendedor id_vendedor vendedor_id cod_vendedor codigo_asesor "
        "id_asesor asesor_id codigo_representante id_representante representante_id "
        "seller_id salesperson_id codigo id rep",
        "name": _SHARED["name"] + " vendedor asesor representante nombre_vendedor "
        "nome_vendedor nombre_asesor nome_representante",
        "home_lat": "home_lat lat latitud latitude lat_casa latitud_casa latitude_casa "
        "lat_inicio latitud_inicio start_lat",
        "home_lon": "home_lon lon lng long longitud longitude lon_casa longitud_casa "
        "longitude_casa lon_inicio longitud_inicio start_lon",
        "zone": _SHARED["zone"],
        "day_start": "day_start inicio_jornada hora_inicio hora_entrada entrada "
        "inicio_expediente start_time",
        "day_end": "day_end fin_jornada hora_fin hora_salida salida fim_expediente hora_fim "
        "end_time",
        "lunch_start": "lunch_start inicio_almuerzo hora_almuerzo almuerzo inicio_almoco "
        "hora_almoco almoco",
        "lunch_min": "lunch_min minutos_almuerzo duracion_almuerzo minutos_almoco duracao_almoco",
        "workdays": "workdays dias dias_laborales dias_habiles dias_de_trabajo dias_uteis "
        "dias_de_trabalho working_days days",
        "max_visits_per_day": "max_visits_per_day max_visitas max_visitas_dia "
        "max_visitas_por_dia visitas_por_dia maximo_visitas",
        "phone": _SHARED["phone"],
        "email": _SHARED["email"],
    }
)
"""routeplan's reps columns → accepted header names (after :func:`header_key`), by rank."""


@dataclass
class ColumnMap:
    """Which header of the file is each routeplan column.

    ``source`` maps routeplan's name to the file's header; ``problems`` are file-wide (an
    explicit mapping naming a header the file lacks, two headers claiming one column).
    """

    source: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def renames(self) -> dict[str, str]:
        """File header → routeplan name, for ``DataFrame.rename``."""
        return {header: column for column, header in self.source.items()}


def _explicit(
    headers: list[str], explicit: Mapping[str, str], synonyms: Mapping[str, tuple[str, ...]]
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Apply ``[columns.*]``; return the mapping and (key, problem) pairs."""
    by_key = {header_key(h): h for h in headers}
    chosen: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for column, header in explicit.items():
        if column not in synonyms:
            problems.append((column, _("not a column routeplan reads")))
        elif header_key(header) not in by_key:
            problems.append((column, _("the file has no column '{header}'", header=header)))
        else:
            chosen[column] = by_key[header_key(header)]
    return chosen, problems


def map_columns(
    headers: Iterable[str],
    synonyms: Mapping[str, tuple[str, ...]],
    *,
    explicit: Mapping[str, str],
    file: str,
    section: str,
) -> ColumnMap:
    """Match a file's headers to routeplan's columns.

    Parameters
    ----------
    headers
        The header row as written.
    synonyms
        :data:`CLIENT_SYNONYMS` or :data:`REP_SYNONYMS`.
    explicit
        ``[columns.<table>]``: routeplan column → file header; wins over synonyms.
    file
        File name for problems.
    section
        ``"columns.clients"`` or ``"columns.reps"``, for hints.

    Returns
    -------
    ColumnMap
        The mapping and file-wide problems.

    Examples
    --------
    >>> m = map_columns(["Código", "Razón Social", "NIT"], CLIENT_SYNONYMS, explicit={},
    ...                 file="clients.csv", section="columns.clients")
    >>> m.source
    {'client_id': 'Código', 'name': 'Razón Social'}

    """
    headers = list(headers)
    chosen, bad = _explicit(headers, explicit, synonyms)
    result = ColumnMap(
        problems=[
            Problem(file, message, column=f"[{section}] {key}", kind="column_mapping")
            for key, message in bad
        ]
    )
    used = set(chosen.values())
    keys: dict[str, list[str]] = {}
    for header in headers:
        keys.setdefault(header_key(header), []).append(header)
    for column, names in synonyms.items():
        if column in chosen:
            continue
        for name in names:
            found = [h for h in keys.get(name, []) if h not in used]
            if len(found) > 1:
                result.problems.append(_duplicate_header(file, found, column, section))
            if found:
                chosen[column] = found[0]
                used.add(found[0])
                break
    result.source = {column: chosen[column] for column in synonyms if column in chosen}
    return result


def _duplicate_header(file: str, found: list[str], column: str, section: str) -> Problem:
    return Problem(
        file,
        _("several columns could be '{column}': {headers}", column=column, headers=found),
        column=found[0],
        kind="duplicate_column",
        hint=_(
            'rename one, or say which one with [{section}] {column} = "<header>"',
            section=section,
            column=column,
        ),
    )


def known_header_keys(*tables: Mapping[str, tuple[str, ...]]) -> frozenset[str]:
    """Every synonym of the given tables, for telling a header row from a title row."""
    return frozenset(name for table in tables for names in table.values() for name in names)
