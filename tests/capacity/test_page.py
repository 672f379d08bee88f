"""The capacity page: small, offline, and CRM text never becomes markup."""

from __future__ import annotations

import pandas as pd

from routeplan.capacity.page import MAX_SCATTER_POINTS, capacity_html, scatter_sample


def _accounts(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "client_id": [f"C{i}" for i in range(n - 1)] + ["<img src=x onerror=alert(1)>"],
            "tier": ["B"] * n,
            "annual_margin": [100.0 + i for i in range(n)],
            "cost_to_serve": [10.0] * n,
            "recommendation": ["keep"] * (n - 3) + ["remote_channel"] * 3,
        }
    )


def test_scatter_keeps_every_flagged_account_and_caps_the_rest() -> None:
    sample = scatter_sample(_accounts(10_000))
    assert len(sample) == MAX_SCATTER_POINTS
    assert (sample["recommendation"] == "remote_channel").sum() == 3


def test_page_escapes_crm_text_and_loads_plotly_from_its_folder() -> None:
    tables = {"<b>table</b>": pd.DataFrame({"x": ["<script>alert(1)</script>"]})}
    page = capacity_html([], _accounts(50), tables, tiers=["B"])
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert page.count('<script src="plotly.min.js"></script>') == 1
    assert len(page) < 200_000


def test_page_registers_plotly_in_the_run_language() -> None:
    from routeplan.i18n import use_language

    tables = {"t": pd.DataFrame({"x": [1]})}
    with use_language("es"):
        spanish = capacity_html([], _accounts(50), tables, tiers=["B"])
    with use_language("pt-BR"):
        portuguese = capacity_html([], _accounts(50), tables, tiers=["B"])
    english = capacity_html([], _accounts(50), tables, tiers=["B"])
    assert '"Download plot as a PNG": "Descargar el gráfico como PNG"' in spanish
    assert '"decimal": ","' in spanish and '"locale": "es"' in spanish
    assert '"Download plot as a PNG": "Baixar o gráfico como PNG"' in portuguese
    assert "Plotly.register" not in english and '"locale"' not in english
    assert '"modeBarButtonsToRemove": ["sendChartToCloud"]' in english  # data stays offline
