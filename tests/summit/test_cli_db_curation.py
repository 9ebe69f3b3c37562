"""The summit's command line (exit codes and outputs), its database (migrations, the default file, the URL from the
environment) and a suggestion accepted into the Danish register through the store."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import inspect

from comparisons.cli import main
from comparisons.evidence import store
from comparisons.evidence.base import load_evidence
from comparisons.summit import curation, service
from comparisons.summit import db as dbm
from tests.helpers import copy_data


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_the_command_line_runs_a_summit(summit_url: str, tmp_path: Path) -> None:
    db = ("--db", summit_url)
    assert run("summit", "create", "--event", "cli-1", "--title", "Scripted summit", *db)[0] == 0
    code, out, _ = run("summit", "answer", "--event", "cli-1", "--participant", "Anne", "--question", "owners",
                       "--option", "kl", "--option", "di", "--comment", "KL first", *db)  # fmt: skip
    assert code == 0 and out == "answered: Anne on owners: kl > di\n"
    assert (
        run(
            "summit",
            "answer",
            "--event",
            "CLI-1",
            "--participant",
            "Bo",
            "--question",
            "owners",
            "--option",
            "di,kfst",
            *db,
        )[0]
        == 0
    )
    code, out, _ = run(
        "summit", "answer", "--event", "cli-1", "--participant", "anne", "--question", "owners", "--option", "di", *db
    )
    assert code == 0 and out.startswith("changed: ")
    code, out, _ = run("summit", "results", "--event", "cli-1", "--format", "json", *db)
    document = json.loads(out)
    assert code == 0 and document["participants"] == 2 and document["closed"] is None
    owners = {r["option"]: r for r in document["results"] if r["question"] == "owners"}
    assert (owners["di"]["first"], owners["di"]["points"], owners["kfst"]["points"], owners["kl"]["points"]) == (
        2,
        6,
        2,
        0,
    )
    code, out, _ = run("summit", "results", "--event", "cli-1", "--format", "csv", *db)
    assert out.splitlines()[0] == "question,rank,option,first,mentions,points,respondents"
    assert out.splitlines()[1] == "owners,1,di,2,2,6,2"
    code, out, _ = run("summit", "results", "--event", "cli-1", *db)
    assert code == 0 and out.startswith("CLI-1: Scripted summit (open; 2 participants)")
    target = tmp_path / "answers.xlsx"
    assert run("summit", "export", "--event", "cli-1", "--out", str(target), *db)[0] == 0 and target.stat().st_size
    assert run("summit", "close", "--event", "cli-1", *db)[0] == 0
    code, out, _err = run("summit", "results", "--event", "cli-1", *db)
    assert "closed" in out.splitlines()[0]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("answer", "--event", "NOPE", "--participant", "A", "--question", "owners", "--option", "kl"),
            "There is no event with the code NOPE.",
        ),
        (
            ("answer", "--event", "E1", "--participant", "A", "--question", "nope", "--option", "kl"),
            "There is no question nope.",
        ),
        (
            ("answer", "--event", "E1", "--participant", "A", "--question", "owners", "--option", "x"),
            "Question owners has no option x.",
        ),
        (
            ("answer", "--event", "SHUT", "--participant", "A", "--question", "owners", "--option", "kl"),
            "The event SHUT is closed and takes no more answers.",
        ),
        (("results", "--event", "NOPE"), "There is no event with the code NOPE."),
        (("close", "--event", "NOPE"), "There is no event with the code NOPE."),
        (("create", "--event", "E1", "--title", "again"), "An event with the code E1 exists already."),
    ],
)
def test_refusals_exit_2_with_one_line(summit_url: str, argv: tuple[str, ...], message: str) -> None:
    db = dbm.open_db(summit_url)
    for event in ("E1", "SHUT"):
        service.create_event(db, event, "t")
    service.close_event(db, "SHUT")
    code, out, err = run("summit", *argv, "--db", summit_url)
    assert (code, out, err) == (2, "", f"error: {message}\n")


def test_an_unreachable_database_exits_1() -> None:
    code, _, err = run(
        "summit", "close", "--event", "X1", "--db", "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"
    )
    assert code == 1 and err.startswith("error: cannot open the summit database") and "secret" not in err


def test_migrations_make_the_schema_the_models_describe(summit_db: dbm.SummitDB) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from comparisons.summit.models import Base

    assert dbm.current_revision(summit_db) == dbm.head_revision() == "0001"
    with summit_db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    tables = set(inspect(summit_db.engine).get_table_names())
    assert {"summit_event", "summit_participant", "summit_answer", "summit_write", "summit_suggestion"} <= tables


def test_the_default_database_is_a_file_under_var_unless_the_environment_names_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(dbm.ENV_URL, raising=False)
    assert dbm.database_url() == f"sqlite:///{dbm.DEFAULT_SQLITE}"
    assert dbm.DEFAULT_SQLITE.parent.name == "var"
    assert "var/" in (Path(__file__).resolve().parents[2] / ".gitignore").read_text().splitlines()
    url = f"sqlite:///{tmp_path / 'nested' / 'folder' / 'summit.sqlite'}"
    monkeypatch.setenv(dbm.ENV_URL, url)
    assert dbm.database_url() == url and dbm.database_url("sqlite://") == "sqlite://"
    db = dbm.open_db()
    try:
        assert (tmp_path / "nested" / "folder" / "summit.sqlite").exists()  # the folder is made on first use
        assert dbm.current_revision(db) == dbm.head_revision() == "0001"
    finally:
        dbm.forget()


def test_a_suggestion_reaches_the_register_only_through_the_store(summit_db: dbm.SummitDB, tmp_path: Path) -> None:
    root = copy_data(tmp_path)
    service.create_event(summit_db, "CPH", "t")
    made = service.suggest(
        summit_db, "CPH", "name:anne", "Anne", "actor", "Region Syddanmark", "https://regionsyddanmark.dk"
    )
    before = (root / "denmark" / "actors.csv").read_bytes()
    drafted = curation.draft(root, made)
    assert drafted.table == "actors" and drafted.row["name"] == "Region Syddanmark"
    assert drafted.source["publisher"] == "regionsyddanmark.dk"
    # Incomplete: the store refuses, naming the problems; nothing is written, the suggestion waits.
    with pytest.raises(store.SaveRejected) as refused:
        curation.accept(
            summit_db, root, made.suggestion_id, drafted, drafted.row, {**drafted.source, "publisher": ""}, "C"
        )
    assert [(p.file, p.column) for p in refused.value.problems] == [("denmark/sources.csv", "publisher")]
    drafted = curation.draft(root, made)
    with pytest.raises(store.SaveRejected) as refused:
        curation.accept(summit_db, root, made.suggestion_id, drafted, drafted.row, drafted.source, "Curator")
    assert {p.file for p in refused.value.problems} == {"denmark/actors.csv"}
    assert {"actor_id", "kind"} <= {p.column for p in refused.value.problems}
    assert (root / "denmark" / "actors.csv").read_bytes() == before
    assert service.suggestions(summit_db, "CPH", "pending")
    row = {**drafted.row, "actor_id": "region-syddanmark", "kind": "region", "name_en": "Region of Southern Denmark",
           "summary_nb": "Region i Sør-Danmark.", "summary_da": "Region i Syddanmark.", "summary_en": "A Danish region."}  # fmt: skip
    drafted = curation.draft(root, made)  # the tables as they are now (the source was saved above)
    record = curation.accept(summit_db, root, made.suggestion_id, drafted, row, drafted.source, "Curator")
    assert record == "actors/region-syddanmark"
    ev = load_evidence(root)
    assert ev.ok, ev.problems
    assert "region-syddanmark" in set(ev["actors"]["actor_id"])
    assert curation.source_id_for(made) in set(ev["sources"]["source_id"])
    log = store.read_log(root, "denmark")
    assert [e["who"] for e in log if e["action"] == "saved"][-1] == "Curator"
    assert service.suggestions(summit_db, "CPH")[0].status == "accepted"


def test_an_accept_from_a_stale_draft_is_refused(summit_db: dbm.SummitDB, tmp_path: Path) -> None:
    root = copy_data(tmp_path)
    service.create_event(summit_db, "CPH", "t")
    made = service.suggest(
        summit_db, "CPH", "name:anne", "Anne", "initiative", "Ny indkøbsalliance", "https://example.dk/a"
    )
    drafted = curation.draft(root, made)
    actors = root / "denmark" / "initiatives.csv"
    actors.write_text(actors.read_text() + "\n")  # someone saved the table after the curator opened it
    row = {**drafted.row, "initiative_id": "ny-alliance", "kind": "partnership", "owner": "kl",
           "summary_nb": "x", "summary_da": "x", "summary_en": "x"}  # fmt: skip
    with pytest.raises(store.SaveConflict):
        curation.accept(summit_db, root, made.suggestion_id, drafted, row, None, "Curator")
    assert service.suggestions(summit_db, "CPH", "pending")
