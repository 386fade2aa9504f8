"""The regelcheck engine over the real content: reasons, years, unknowns and exclusions."""

from __future__ import annotations

from knowledge.eligibility import Situation, candidate_ids, regelcheck


def _check(kb, s: Situation):
    regs = [r for rid in candidate_ids(s.gemeente) if (r := kb.regeling(rid))]
    return {i.regeling.id: i for i in regelcheck(regs, s, kb.regeling("bijstand"))}


def test_local_variant_replaces_national_bijstand_in_amsterdam(kb):
    assert "bijstand_amsterdam" in candidate_ids("amsterdam")
    assert "bijstand" not in candidate_ids("amsterdam")
    assert "bijstand" in candidate_ids("utrecht")
    assert "stadspas_amsterdam" not in candidate_ids("utrecht")


def test_low_income_single_gets_bijstand_and_zorgtoeslag_with_reasons_and_years(kb):
    s = Situation(34, "alleenstaand", 120_000, 85_000, 50_000, "amsterdam")
    out = _check(kb, s)
    bijstand = out["bijstand_amsterdam"]
    assert bijstand.status == "waarschijnlijk"
    assert any("€ 1.200" in r and "€ 1.401,50" in r and "2026" in r for r in bijstand.redenen)
    assert 2026 in bijstand.jaren
    assert out["zorgtoeslag"].status == "waarschijnlijk"
    # 130% of the bijstandsnorm for the Stadspas, said as an estimate
    assert any("130%" in r for r in out["stadspas_amsterdam"].redenen)
    assert "kinderbijslag" not in out  # no children


def test_high_income_rules_out_minima_regulations(kb):
    out = _check(kb, Situation(45, "alleenstaand", 600_000, 150_000, 20_000_000, "amsterdam"))
    for rid in (
        "bijstand_amsterdam",
        "stadspas_amsterdam",
        "collectieve_zorgverzekering_amsterdam",
        "kwijtschelding_amsterdam",
        "zorgtoeslag",
    ):
        assert rid not in out, rid


def test_partners_use_their_own_norm(kb):
    # € 1.800 together is under the partner norm (€ 2.002,13) but over the single norm.
    out = _check(kb, Situation(40, "partners", 180_000, 90_000, 0, "amsterdam"))
    assert out["bijstand_amsterdam"].status == "waarschijnlijk"
    assert any("€ 2.002,13" in r for r in out["bijstand_amsterdam"].redenen)


def test_unknowns_stay_open_and_make_it_misschien(kb):
    out = _check(kb, Situation(None, "partners_kinderen", None, None, None, "amsterdam"))
    assert out["kinderbijslag"].status == "waarschijnlijk"  # children is all it needs
    assert out["bijstand_amsterdam"].status == "misschien"
    assert out["bijstand_amsterdam"].open


def test_age_limits_exclude(kb):
    out = _check(kb, Situation(16, "alleenstaand", 0, 0, 0, "amsterdam"))
    assert "zorgtoeslag" not in out and "bijstand_amsterdam" not in out
    young = _check(kb, Situation(19, "alleenstaand", 30_000, 0, 0, "amsterdam"))
    assert "jongerentoeslag_amsterdam" in young
    assert "jongerentoeslag_amsterdam" not in _check(
        kb, Situation(22, "alleenstaand", 30_000, 0, 0, "amsterdam")
    )


def test_a_pensioner_is_sent_to_the_aio_not_told_bijstand_is_likely(kb):
    """A 70-year-old alone on € 1.300: bijstand stops at the AOW age; the AIO of the SVB is the
    route (issue #17 item 1)."""
    out = _check(kb, Situation(70, "alleenstaand", 130_000, 90_000, 100_000, "amsterdam"))
    assert "aio_aanvulling" in out
    bijstand = out["bijstand_amsterdam"]
    assert bijstand.status == "misschien"
    assert any("AOW-leeftijd" in o and "AIO" in o for o in bijstand.open)
    regs = [r for rid in candidate_ids("amsterdam") if (r := kb.regeling(rid))]
    s = Situation(70, "alleenstaand", 130_000, 90_000, 100_000, "amsterdam")
    ranked = [i.regeling.id for i in regelcheck(regs, s, kb.regeling("bijstand"))]
    assert ranked[0] == "aio_aanvulling"


def test_no_aio_for_someone_of_working_age(kb):
    out = _check(kb, Situation(34, "alleenstaand", 120_000, 85_000, 50_000, "amsterdam"))
    assert "aio_aanvulling" not in out
    assert out["bijstand_amsterdam"].status == "waarschijnlijk"


def test_the_overview_from_a_story_names_the_aio_not_bijstand_for_a_pensioner(kb):
    """'ik ben 71, mijn aow is niet volledig: welke regelingen zijn er?' The short overview said
    'bijstand: je bent 71 (minstens 18)'; bijstand and the IIT stop at the AOW age."""
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.overzicht import answer_overview

    def said(text: str) -> str:
        t = Tracker.from_dict(
            {
                "sender_id": "u",
                "slots": {"gemeente": "amsterdam"},
                "latest_message": {"text": text, "intent": {"name": "x"}, "entities": []},
                "events": [],
                "active_loop": {},
                "latest_action_name": "action_listen",
            }
        )
        d = CollectingDispatcher()
        assert answer_overview(d, t) is not None
        return d.messages[0]["regelingen"]

    old = said("ik ben 71 en mijn aow is niet volledig. welke regelingen zijn er voor mij?")
    assert "AIO" in old and "AOW-leeftijd" in old
    assert "Bijstand" not in old and "inkomenstoeslag" not in old
    young = said("ik ben 22 en heb weinig inkomen, wat kan ik aanvragen?")
    assert "Bijstand" in young and "AIO" not in young
