"""The shipped content validates; broken content is refused with a clear message and the
database stays as it was; loading is idempotent; a second gemeente is files only."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge import loader
from knowledge.content import CONTENT_DIR, ContentError, read_content, valid_phone
from knowledge.db import make_engine
from knowledge.models import Organization, Regeling, Service
from knowledge.service import KnowledgeService

TESTGEMEENTE = Path(__file__).parent / "fixtures" / "testgemeente"


def counts(engine) -> tuple[int, int, int]:
    with Session(engine, future=True) as s:
        return tuple(
            s.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (Regeling, Organization, Service)
        )


@pytest.fixture
def content_copy(tmp_path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    return root


@pytest.fixture
def engine(tmp_path):
    return make_engine(f"sqlite:///{tmp_path / 'kb.db'}")


def test_shipped_content_is_valid_and_large_enough():
    cs = read_content()
    assert len(cs.regelingen) >= 40
    assert len(cs.organisaties) >= 40
    assert "amsterdam" in cs.gemeenten
    assert sum(1 for r in cs.regelingen.values() if r["gemeente"] == "amsterdam") >= 10
    for r in cs.regelingen.values():
        assert r["bron_url"].startswith("http") and r["peildatum"]
        for b in r.get("bedragen", []):
            assert b["jaar"] and b["bron_url"], f"{r['id']}: amount without year or source"
    for o in cs.organisaties.values():
        assert o["bron_url"].startswith("http") and o["laatst_gecontroleerd"]


def test_crisis_lines_are_in_the_social_map():
    cs = read_content()
    phones = {
        k["waarde"]
        for o in cs.organisaties.values()
        for d in o["diensten"]
        for k in d["kanalen"]
        if k["soort"] == "telefoon"
    }
    assert {"113", "0800-0113", "112", "0800-2000"} <= phones


def test_broken_file_is_rejected_naming_file_and_field_and_db_unchanged(content_copy, engine):
    loader.load([content_copy], engine=engine)
    before = counts(engine)
    path = content_copy / "regelingen" / "huurtoeslag.yaml"
    path.write_text(
        path.read_text(encoding="utf8").replace(
            "bron_url: https://", "bron_url: ftp-niet-geldig://", 1
        ),
        encoding="utf8",
    )
    (content_copy / "regelingen" / "nieuw.yaml").write_text(
        "id: nieuw\nnaam: Nieuwe regeling\n", encoding="utf8"
    )
    with pytest.raises(ContentError) as err:
        loader.load([content_copy], engine=engine)
    msg = str(err.value)
    assert "regelingen/huurtoeslag.yaml" in msg and "bron_url" in msg
    assert "regelingen/nieuw.yaml" in msg and "samenvatting_b1" in msg
    assert counts(engine) == before


def test_invalid_yaml_and_bad_phone_and_unknown_reference(content_copy):
    (content_copy / "regelingen" / "kapot.yaml").write_text(
        "id: kapot\nnaam: [niet gesloten\n", encoding="utf8"
    )
    geldfit = content_copy / "sociale_kaart" / "geldfit.yaml"
    geldfit.write_text(
        geldfit.read_text(encoding="utf8").replace("waarde: 0800-8115", "waarde: bel ons maar"),
        encoding="utf8",
    )
    zt = content_copy / "regelingen" / "zorgtoeslag.yaml"
    zt.write_text(
        zt.read_text(encoding="utf8").replace("gerelateerd: [", "gerelateerd: [bestaat_niet, "),
        encoding="utf8",
    )
    with pytest.raises(ContentError) as err:
        read_content([content_copy])
    msg = str(err.value)
    assert "kapot.yaml" in msg and "geen geldige YAML" in msg
    assert "geldfit.yaml" in msg and "telefoonnummer" in msg
    assert "onbekende regeling 'bestaat_niet'" in msg


def test_load_is_idempotent(content_copy, engine):
    first = loader.load([content_copy], engine=engine)
    second = loader.load([content_copy], engine=engine)
    assert first.changed and not second.changed
    assert counts(engine) == (first.regelingen, first.organisaties, first.diensten)


def test_stale_entries_are_flagged(content_copy):
    cs = read_content([content_copy], today=dt.date(2028, 1, 1))
    assert cs.warnings and all("12 maanden" in str(w) for w in cs.warnings)
    assert not read_content([content_copy], today=dt.date(2026, 12, 1)).warnings


@pytest.mark.parametrize(
    "number,ok",
    [
        ("112", True),
        ("113", True),
        ("14 020", True),
        ("0800-8115", True),
        ("020-5525000", True),
        ("(020) 252 6030", True),
        ("0800-2358 358", True),
        ("0900-8020", True),
        ("06-12", False),
        ("bel ons", False),
        ("", False),
    ],
)
def test_phone_format(number, ok):
    assert valid_phone(number) is ok


def test_second_gemeente_by_adding_files_only(engine):
    res = loader.load([CONTENT_DIR, TESTGEMEENTE], engine=engine)
    assert res.changed
    kb = KnowledgeService(engine)
    hits = kb.search("testpas", gemeente="teststad")
    assert hits and hits[0].ref == "teststadpas"
    assert not any(h.ref == "teststadpas" for h in kb.search("testpas", gemeente="amsterdam"))
    help_ = kb.help_for("schulden", gemeente="teststad")
    assert help_[0].organisatie_id == "loket_teststad"
    # national regulations still apply in the new gemeente
    assert kb.find_regeling("wat is zorgtoeslag", gemeente="teststad").id == "zorgtoeslag"


def test_local_variant_inherits_the_national_amounts_it_leaves_out(engine):
    """Amsterdam's bijstand states no norm of its own: 'hoeveel bijstand' there is the national
    norm (issue #15 class 6), while a variant's own legal basis stays its own."""
    loader.load([CONTENT_DIR], engine=engine)
    kb = KnowledgeService(engine)
    local, national = kb.regeling("bijstand_amsterdam"), kb.regeling("bijstand")
    assert national.bedragen
    assert local.bedragen == national.bedragen
    assert local.grondslagen and local.naam != national.naam
    # a variant that states amounts of its own keeps them
    own = dataclasses.replace(local, bedragen=national.bedragen[:1])
    assert kb._inherit(own, "bijstand").bedragen == national.bedragen[:1]


def test_a_database_from_an_older_loader_is_loaded_again(content_copy, engine, monkeypatch):
    """Same content, new loader version (a new column): not taken as current."""
    assert loader.load([content_copy], engine=engine).changed
    monkeypatch.setattr(loader, "LOADER_VERSION", "test-next")
    assert loader.load([content_copy], engine=engine).changed
    assert not loader.load([content_copy], engine=engine).changed
