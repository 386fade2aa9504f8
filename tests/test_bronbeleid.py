"""Source policy (#17): every legal fact has an official source; known violations only shrink.

The validation tests break a copy of the shipped content (``content_copy``) and expect a clear
refusal that names the file and the field; the baseline tests check the shipped files.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from knowledge import bronbeleid, cli
from knowledge.content import CONTENT_DIR, ContentError, read_content

# The number of known violations when the baseline was last shrunk. Lower it when you fix
# sources; never raise it (a new fact needs an official source, not a baseline entry).
BASELINE_MAX = 30
TESTGEMEENTE = Path(__file__).parent / "fixtures" / "testgemeente"


@pytest.fixture
def content_copy(tmp_path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    return root


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf8")


def _refused(root: Path, *parts: str) -> str:
    with pytest.raises(ContentError) as err:
        read_content([root])
    msg = str(err.value)
    for part in parts:
        assert part in msg, msg
    return msg


# --- the shipped content and its baseline ----------------------------------------------------


def test_shipped_content_has_no_new_violations_and_an_exact_baseline():
    cs = read_content()  # raises on a violation the baseline does not list
    baseline = bronbeleid.load_baseline()
    assert not cs.bron_fixed, f"fixed, take out of the baseline: {dict(cs.bron_fixed)}"
    assert len(cs.bron_known) == sum(baseline.values())


def test_baseline_only_shrinks():
    total = sum(bronbeleid.load_baseline().values())
    assert total <= BASELINE_MAX, "the baseline grew: give the new fact an official source"


def test_the_sources_named_in_the_issue_are_gone():
    """#17: a news site (Voedselbank), another gemeente's plan (schuldhulpverlening), weesp.nl
    for Amsterdam and one gemeente's page for a national rule (kwijtschelding)."""
    cs = read_content()
    cited = {v.url for v in cs.bron_known}
    for bad in ("nhnieuws.nl", "reimerswaal", "studylibnl.com", "krimpenerwaard.nl", "weesp.nl"):
        assert not [u for u in cited if bad in u], bad


def test_what_residents_see_has_an_official_source():
    """Record sources and answers are shown to residents: none of them is a known violation,
    except the two questions of an Arnhem organisation that has no official page at all."""
    shown = [
        v
        for v in read_content().bron_known
        if v.field == "bron_url" or v.field.startswith("vragen.")
    ]
    assert {v.record for v in shown} <= {
        "regelingen/noodfonds_fbna_amsterdam",
        "sociale_kaart/stichting_oprecht",
        "sociale_kaart/stichting_home_empowerment",
        "sociale_kaart/wijk_service_punt_nieuwendam",
    }


def test_every_known_violation_is_a_real_unofficial_source():
    """The baseline lists nothing that the policy would accept (no padding)."""
    policy = bronbeleid.load_policy()
    for record, url in bronbeleid.load_baseline():
        assert not bronbeleid.on_domain(url, policy.landelijk), (record, url)


# --- what the validator refuses --------------------------------------------------------------


def test_a_news_site_as_the_source_of_a_condition_is_refused(content_copy):
    def change(d):
        d["voorwaarden"][0]["bron_url"] = "https://nos.nl/artikel/1-zorgtoeslag"

    _edit(content_copy / "regelingen" / "zorgtoeslag.yaml", change)
    _refused(content_copy, "zorgtoeslag.yaml", "voorwaarden.0.bron_url", "nos.nl")


def test_a_blog_as_the_source_of_an_amount_or_a_law_is_refused(content_copy):
    def change(d):
        d["bedragen"][0]["bron_url"] = "https://www.geldblog.nl/zorgtoeslag-2026"
        d["wettelijke_grondslag"][0]["url"] = "https://www.advocaat-x.nl/awir"

    _edit(content_copy / "regelingen" / "zorgtoeslag.yaml", change)
    _refused(content_copy, "bedragen.0.bron_url", "wettelijke_grondslag.0.url")


def test_a_news_site_as_the_record_source_or_answer_source_is_refused(content_copy):
    def change(d):
        d["bron_url"] = "https://www.parool.nl/x"
        d["vragen"][0]["bron_url"] = "https://www.nu.nl/y"

    _edit(content_copy / "regelingen" / "huurtoeslag.yaml", change)
    qid = yaml.safe_load((CONTENT_DIR / "regelingen" / "huurtoeslag.yaml").read_text())["vragen"][
        0
    ]["id"]
    _refused(content_copy, "huurtoeslag.yaml: bron_url", f"vragen.{qid}.bron_url")


def test_another_gemeentes_page_is_no_source_for_a_national_rule(content_copy):
    def change(d):
        d["bron_url"] = "https://www.krimpenerwaard.nl/kwijtschelding"

    _edit(content_copy / "regelingen" / "bijzondere_bijstand.yaml", change)
    _refused(content_copy, "bijzondere_bijstand.yaml: bron_url", "krimpenerwaard.nl")


def test_the_gemeente_domain_counts_only_for_its_own_records(content_copy):
    national = content_copy / "regelingen" / "zorgtoeslag.yaml"
    local = content_copy / "regelingen" / "stadspas_amsterdam.yaml"
    _edit(local, lambda d: d.update(bron_url="https://www.amsterdam.nl/stadspas/"))
    read_content([content_copy])  # Amsterdam's own rule: amsterdam.nl is official
    _edit(national, lambda d: d.update(bron_url="https://www.amsterdam.nl/zorgtoeslag/"))
    _refused(content_copy, "zorgtoeslag.yaml: bron_url", "amsterdam.nl")


def test_weesp_is_not_amsterdams_source(content_copy):
    def change(d):
        d["bron_url"] = "https://www.weesp.nl/inwoners/stadspas.html"

    _edit(content_copy / "regelingen" / "stadspas_amsterdam.yaml", change)
    _refused(content_copy, "stadspas_amsterdam.yaml: bron_url", "weesp.nl")


def test_a_secondary_source_may_stand_next_to_an_official_one(content_copy):
    def change(d):
        d.setdefault("bronnen", []).append("https://nos.nl/artikel/1-zorgtoeslag")

    _edit(content_copy / "regelingen" / "zorgtoeslag.yaml", change)
    read_content([content_copy])


def test_a_known_bad_url_copied_to_another_fact_is_refused(content_copy):
    """The baseline counts facts: citing a listed URL once more is a new violation."""
    record, url = next(iter(bronbeleid.load_baseline()))
    folder, rid = record.split("/")
    path = content_copy / folder / f"{rid}.yaml"

    def change(d):
        d["bron_url"] = url
        for v in d.get("voorwaarden") or []:
            v["bron_url"] = url

    _edit(path, change)
    _refused(content_copy, f"{rid}.yaml", "geen officiële bron")


def test_an_organisations_own_website_is_a_source_for_its_own_record_only(content_copy):
    site = yaml.safe_load((CONTENT_DIR / "sociale_kaart" / "geldfit.yaml").read_text())["website"]
    _edit(content_copy / "sociale_kaart" / "geldfit.yaml", lambda d: d.update(bron_url=site))
    read_content([content_copy])
    _edit(content_copy / "regelingen" / "zorgtoeslag.yaml", lambda d: d.update(bron_url=site))
    _refused(content_copy, "zorgtoeslag.yaml: bron_url")


def test_a_second_gemeente_brings_its_own_domain(tmp_path):
    cs = read_content([CONTENT_DIR, TESTGEMEENTE])
    assert "teststad" in cs.gemeenten  # example.org is Teststad's website, so its sources count


def test_a_fixed_baseline_entry_is_reported(capsys):
    baseline = bronbeleid.load_baseline()
    baseline[("regelingen/zorgtoeslag", "https://nos.nl/opgelost")] += 1
    cs = read_content(baseline=baseline)
    assert cs.bron_fixed == Counter({("regelingen/zorgtoeslag", "https://nos.nl/opgelost"): 1})
    cli.report_source_policy(cs)
    assert "opgelost" in capsys.readouterr().out


@pytest.mark.parametrize(
    "url,official",
    [
        ("https://wetten.overheid.nl/BWBR0015703/2026-01-01", True),
        ("https://www.rijksoverheid.nl/onderwerpen/aow", True),
        ("https://sdg.government.nl/x", True),
        ("https://www.svb.nl/nl/kinderbijslag", True),
        ("https://www.cjib.nl/betalingsregeling", True),
        ("https://nos.nl/artikel/1", False),
        ("https://www.nhnieuws.nl/nieuws/309345", False),
        ("https://nepoverheid.nl/x", False),
        ("https://wetten.overheid.nl.example.com/x", False),
        ("https://www.amsterdam.nl/x", False),  # only for Amsterdam's own records
        ("https://www.weesp.nl/x", False),
    ],
)
def test_official_domains_everywhere(url, official):
    assert bronbeleid.on_domain(url, bronbeleid.load_policy().landelijk) is official


def test_validate_prints_the_policy_numbers(capsys):
    assert cli.main(["validate"]) == 0
    out = capsys.readouterr().out
    assert f"Bronbeleid: {sum(bronbeleid.load_baseline().values())} feiten" in out
    assert "0 nieuwe" in out


def test_validate_fails_on_a_new_violation(content_copy, capsys):
    _edit(
        content_copy / "regelingen" / "zorgtoeslag.yaml",
        lambda d: d.update(bron_url="https://www.telegraaf.nl/zorgtoeslag"),
    )
    assert cli.cmd_validate(_args(content_copy)) == 1
    assert "telegraaf.nl" in capsys.readouterr().err


def _args(root: Path):
    return cli.build_parser().parse_args(["--content", str(root), "validate"])
