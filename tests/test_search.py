"""Free-text search: synonyms, typos, compounds, filters, ranking with reasons."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "query,expected",
    [
        ("zorgtoeslag", "zorgtoeslag"),
        ("huursubsidie", "huurtoeslag"),
        ("uitkering", "bijstand_amsterdam"),
        ("zorgtoelsag", "zorgtoeslag"),
        ("huurtoesalg", "huurtoeslag"),
        ("kinderbijslag", "kinderbijslag"),
        ("stadspas", "stadspas_amsterdam"),
        ("kwijtschelding gemeentebelasting", "kwijtschelding_amsterdam"),
    ],
)
def test_top_regeling(kb, query, expected):
    hits = kb.search(query, kind="regeling", gemeente="amsterdam")
    assert hits, query
    assert hits[0].ref == expected, [(h.ref, h.reasons) for h in hits]
    assert hits[0].reasons


def test_national_regeling_without_gemeente_filter(kb):
    assert kb.search("uitkering", kind="regeling", gemeente=None)[0].ref == "bijstand"
    assert (
        kb.search("kwijtschelding gemeentebelasting", kind="regeling", gemeente=None)[0].ref
        == "kwijtschelding_gemeentelijke_belastingen"
    )


def test_typo_reason_is_given(kb):
    hit = kb.search("zorgtoelsag", kind="regeling")[0]
    assert any("spelfout" in r for r in hit.reasons)


def test_synonym_reason_is_given(kb):
    hit = kb.search("huursubsidie", kind="regeling")[0]
    assert any(r.startswith("synoniem") for r in hit.reasons)


def test_compound_is_split(kb):
    terms = kb.index.analyse("zorgverzekeringspremie")
    assert terms and "zorgverzekering" in terms[0].forms and "premie" in terms[0].forms


def test_services_filtered_by_topic_and_gemeente(kb):
    hits = kb.search("voedselpakket eten", kind="dienst", gemeente="amsterdam", onderwerp="eten")
    assert hits
    assert all(kb.service(h.ref).gemeente in (None, "amsterdam") for h in hits)
    assert all("eten" in kb.service(h.ref).onderwerpen for h in hits)


def test_regional_services_outside_amsterdam_are_not_offered(kb):
    refs = [h.ref for h in kb.search("budgetkring", kind="dienst", gemeente="amsterdam", limit=20)]
    for ref in refs:
        svc = kb.service(ref)
        assert not svc.regio, ref


def test_help_for_debts_in_amsterdam_starts_with_the_front_door(kb):
    places = kb.help_for("schulden", "amsterdam")
    ids = [p.organisatie_id for p in places]
    assert ids[0] == "buurtteam_amsterdam"
    assert "geldfit" in ids
    assert all(not p.alleen_via_professional for p in places)


def test_empty_and_junk_queries_return_nothing(kb):
    assert kb.search("") == []
    assert kb.search("de het een") == []


def test_fts_syntax_in_a_query_is_harmless(kb):
    for q in [
        '"; DROP TABLE regeling; --',
        "zorg* OR NEAR(a b)",
        "AND OR NOT",
        "\x00\x01",
        "€€€ !!!",
    ]:
        assert isinstance(kb.search(q), list)
    assert kb.regeling("zorgtoeslag") is not None
