"""core.i18n.in_reading_language: on Welsh pages the Welsh name where one is stored, else the English one."""

from __future__ import annotations

from core.i18n import current_language, in_reading_language, name_in_reading_language, order_in_reading_language
from organisations.tables import Cluster


def _in(language: str, read):  # type: ignore[no-untyped-def]
    token = current_language.set(language)
    try:
        return read()
    finally:
        current_language.reset(token)


def test_a_welsh_reader_gets_the_welsh_name_and_an_empty_or_missing_one_falls_back_to_english():
    assert _in("cy", lambda: name_in_reading_language("Cardiff", "Caerdydd")) == "Caerdydd"
    assert _in("cy", lambda: name_in_reading_language("Afan", "")) == "Afan"
    assert _in("cy", lambda: name_in_reading_language("Afan", None)) == "Afan"
    assert _in("en", lambda: name_in_reading_language("Cardiff", "Caerdydd")) == "Cardiff"


def test_in_sql_the_welsh_name_comes_first_only_for_a_welsh_reader():
    welsh = _in("cy", lambda: str(Cluster.select(in_reading_language(Cluster.name, Cluster.name_cy, alias="shown"))))
    assert """COALESCE(NULLIF("cluster"."name_cy", ''), "cluster"."name") AS "shown\"""" in welsh
    english = _in("en", lambda: str(Cluster.select(in_reading_language(Cluster.name, Cluster.name_cy, alias="shown"))))
    assert "COALESCE" not in english and '"cluster"."name" AS "shown"' in english
    ordered = _in(
        "cy", lambda: str(Cluster.select().order_by(order_in_reading_language(Cluster.name, Cluster.name_cy)))
    )
    assert ordered.endswith("""ORDER BY COALESCE(NULLIF("cluster"."name_cy", ''), "cluster"."name") ASC""")
