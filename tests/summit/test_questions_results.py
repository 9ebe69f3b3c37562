"""The design questions come from the evidence (the crosswalk, the preconditions, the What-if model), the tally
counts what was answered, and the pack carries "What the summit said"."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime

import openpyxl
import pandas as pd
import pytest

from comparisons.evidence.base import Evidence
from comparisons.i18n.formatting import fmt_money
from comparisons.measures import whatif
from comparisons.measures import whatif_defaults as wd
from comparisons.outputs.pack import build_pack
from comparisons.summit import page, questions, results, service
from comparisons.summit.db import SummitDB
from tests.helpers import copy_data, shipped_evidence
from tests.summit.conftest import rules


def test_role_options_are_the_crosswalks_danish_candidates_with_their_fit() -> None:
    ev = shipped_evidence()
    roles = ev["counterparts"].set_index("role_id")
    for spec in questions.QUESTIONS:
        if not spec.option_roles:
            continue
        expected = {a for r in spec.option_roles for a in str(roles.loc[r, "danish_candidates"]).split()}
        rows = {o.id: o for o in questions.option_rows(ev, spec) if o.id != questions.NONE_OPTION}
        assert set(rows) == expected, spec.id
        for option in rows.values():
            fits = [roles.loc[r, "fit"] for r in option.roles]
            assert option.fit == min(fits, key=questions.FIT_ORDER.index)
            assert all(roles.loc[r, "source_id"] in option.source_ids for r in option.roles)


def test_first_focus_offers_the_preconditions_denmark_lacks() -> None:
    ev = shipped_evidence()
    lacking = set(ev["preconditions"].loc[ev["preconditions"]["status"] != "present", "precondition_id"])
    assert set(rules()["first-focus"].options) == lacking
    assert "national-competence-centre" not in lacking  # present in Denmark, so not a place to start


def test_funding_options_are_figures_and_the_what_if_projects_each_with_its_own_model() -> None:
    ev = shipped_evidence()
    funding = next(q for q in questions.questions(ev, "en") if q.id == "funding")
    amounts = {o.id: o.funding_dkk for o in funding.options}
    facts = ev["facts"].set_index("fact_id")
    defaults = wd.derive_defaults(ev.tables)
    assert amounts == {
        "state-share": float(facts.loc["DK-COPI-02C", "value"]),
        "copi-level": float(facts.loc["DK-COPI-01", "value"]),
        "lup-level": defaults.funding.value,
    }
    view = next(v for v in page.options_view(ev, "en").questions if v.question.id == "funding")
    assert view.consequences is not None
    for option, row in zip(funding.options, view.consequences.to_dict("records"), strict=True):
        expected = whatif.outcome(
            replace(defaults.inputs(), funding_dkk=option.funding_dkk or 0.0), defaults.calibration
        )
        assert row["Break-even year"] == str(expected.break_even_year)
        assert row["Cumulative cost"] == fmt_money(expected.cost, "DKK", "en")


def test_an_option_without_its_figure_is_not_offered(tmp_path) -> None:
    from comparisons.evidence.base import load_evidence

    root = copy_data(tmp_path)
    facts = root / "denmark" / "facts.csv"
    facts.write_text("".join(line for line in facts.read_text().splitlines(True) if not line.startswith("DK-COPI-01,")))
    ev: Evidence = load_evidence(root, validate=False)
    assert "copi-level" not in questions.catalogue(ev)["funding"].options


def _record(
    who: str, question: str, choices: tuple[str, ...], certainty: int = 2, comment: str = ""
) -> service.AnswerRecord:
    return service.AnswerRecord(0, who, question, choices, certainty, comment, False, 1, datetime(2026, 9, 9))


def test_the_tally_ranks_by_points_and_counts_first_choices() -> None:
    answers = [
        _record("a", "owners", ("kl", "di", "kfst"), 3),
        _record("b", "owners", ("di", "kl")),
        _record("c", "owners", ("kl",), 1),
        _record("d", "secretariat", ("co-pi",)),
        _record("e", "gone-question", ("x",)),
    ]
    t = results.tally(answers, rules())
    owners = {o.option_id: o for o in t["owners"].options}
    assert (owners["kl"].points, owners["kl"].first, owners["kl"].mentions) == (3 + 2 + 3, 2, 3)
    assert (owners["di"].points, owners["di"].first) == (2 + 3, 1)
    assert owners["kfst"].points == 1 and owners["ufm"].points == 0
    assert [o.option_id for o in t["owners"].options][:3] == ["kl", "di", "kfst"]
    assert t["owners"].respondents == 3 and t["owners"].certainty == {1: 1, 2: 1, 3: 1}
    assert t["secretariat"].options[0].points == 1 and t["funding"].respondents == 0
    assert t["gone-question"].options[0].option_id == "x"  # an answer is never dropped from the count


@pytest.mark.parametrize("lang", ["da"])
def test_the_pack_says_what_the_summit_said(summit_db: SummitDB, lang: str) -> None:
    service.create_event(summit_db, "CPH", "Copenhagen summit", now=datetime(2026, 9, 9, 9))
    for who, choice in (("Anne", ["kl", "di"]), ("Bo", ["kl"]), ("Cai", ["di"])):
        service.answer(summit_db, "CPH", service.cli_handle(who), who, "owners", choice, rules(), comment=f"{who} says")
    hidden = next(a for a in service.answers(summit_db, "CPH") if a.participant == "Bo")
    service.hide_comment(summit_db, "CPH", hidden.answer_id)
    ev = shipped_evidence()
    section = results.summit_section(summit_db, "CPH", ev, lang)
    pack = build_pack(ev, lang, "2026-09-10T12:00:00Z", summit=section)
    assert pack.xlsx_name.endswith("-cph.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(pack.xlsx))
    from comparisons.i18n import gettext_for

    _ = gettext_for(lang)
    sheet = book[_("What the summit said")[:31]]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    owners = [r for r in rows if r[0] == _("Who should own a Danish LUP?")]
    assert owners[0][1:6] == (1, "KL – Kommunernes Landsforening", 6, 2, 2)  # place, option, points, first, mentions
    assert owners[0][7] == "9. september 2026"
    comments = list(book[_("Summit comments")[:31]].iter_rows(min_row=3, values_only=True))
    assert {r[2] for r in comments} == {"Anne says", "Cai says"}
    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(pack.docx)).paragraphs)
    assert _("What the summit said") in text and "Copenhagen summit (CPH)" in text
    assert "Anne says" in text and "Cai says" in text and "Bo says" not in text  # a hidden comment stays out


def test_answers_export_names_choices_in_order(summit_db: SummitDB) -> None:
    from comparisons.outputs.exports import Stamp, to_csv

    service.create_event(summit_db, "CPH", "Copenhagen summit")
    service.answer(summit_db, "CPH", "name:anne", "=Anne", "owners", ["ufm", "kl"], rules(), comment="+1")
    ev = shipped_evidence()
    table = results.answers_table(
        service.answers(summit_db, "CPH"),
        questions.questions(ev, "en"),
        service.event_info(summit_db, "CPH"),
        "en",
        Stamp.of("2026-09-10", ev.version),
    )
    frame = pd.read_csv(io.BytesIO(to_csv(table)), dtype=str, keep_default_na=False)
    row = frame.iloc[0]
    assert (
        row["Choices, most preferred first"]
        == "UFM (Uddannelses- og Forskningsministeriet) > KL – Kommunernes Landsforening"
    )
    assert row["Option IDs"] == "ufm kl"
    assert row["Participant"] == "'=Anne" and row["Comment"] == "'+1"  # no formula reaches a spreadsheet
