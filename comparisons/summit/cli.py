"""`python -m comparisons summit migrate|create|answer|results|close|export|pack`, for organisers and scripted tests.

Exit codes: 0 done; 2 refused, with one line on stderr (an unknown event, question or option, a closed event, a
bad value); 1 the database cannot be reached or the evidence cannot be loaded.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

from comparisons.evidence.paths import DEFAULT_DATA_ROOT
from comparisons.i18n.formatting import count_en

ACTIONS = ("migrate", "create", "answer", "results", "close", "export", "pack")


def add_parser(sub: argparse._SubParsersAction) -> None:
    from comparisons.i18n import LANGUAGES

    p = sub.add_parser("summit", help="a summit's events and answers (the database named by LUP_DATABASE_URL)")
    actions = p.add_subparsers(dest="summit_action", required=True)

    def common(q: argparse.ArgumentParser, data: bool = False) -> None:
        q.add_argument("--event", required=True, metavar="CODE", help="the event's short code")
        q.add_argument("--db", metavar="URL", help="database URL (default: LUP_DATABASE_URL, else var/summit.sqlite)")
        if data:
            q.add_argument("--data", type=Path, default=DEFAULT_DATA_ROOT, metavar="DIR", help="data root")

    q = actions.add_parser("migrate", help="create or upgrade the database's tables (alembic upgrade head)")
    q.add_argument("--db", metavar="URL", help="database URL (default: LUP_DATABASE_URL, else var/summit.sqlite)")
    q = actions.add_parser("create", help="create an event")
    common(q)
    q.add_argument("--title", required=True, metavar="TEXT")
    q = actions.add_parser("answer", help="store one participant's answer to one question (replacing an earlier one)")
    common(q, data=True)
    q.add_argument(
        "--participant", required=True, metavar="NAME", help="display name; the same name is the same person"
    )
    q.add_argument("--question", required=True, metavar="Q")
    q.add_argument(
        "--option", required=True, action="append", metavar="O", help="an option id; repeat (or comma-separate) to rank"
    )
    q.add_argument("--certainty", type=int, default=2, choices=(1, 2, 3), help="1 unsure, 2 fairly sure, 3 sure")
    q.add_argument("--comment", default="", metavar="TEXT")
    q = actions.add_parser("results", help="the tally per question and option")
    common(q, data=True)
    q.add_argument("--format", choices=("table", "json", "csv"), default="table")
    q = actions.add_parser("close", help="close the event: it takes no more answers")
    common(q)
    q = actions.add_parser("export", help="every answer as CSV or XLSX (by the file's extension)")
    common(q, data=True)
    q.add_argument("--out", type=Path, required=True, metavar="FILE.csv|FILE.xlsx")
    q.add_argument("--lang", choices=LANGUAGES, default="en")
    q = actions.add_parser("pack", help="the decision pack with the section 'What the summit said'")
    common(q, data=True)
    q.add_argument("--out", type=Path, required=True, metavar="DIR")
    q.add_argument("--lang", choices=LANGUAGES, default="en")


def _evidence(root: Path, err: TextIO):  # -> Evidence | None
    from comparisons.evidence.base import load_evidence

    if not root.is_dir():
        err.write(f"error: data folder {root} does not exist\n")
        return None
    return load_evidence(root)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from comparisons.summit import db, service

    try:
        database = db.open_db(args.db)
    except (SQLAlchemyError, OSError) as exc:
        err.write(
            f"error: cannot open the summit database {db.redacted(db.database_url(args.db))}: {type(exc).__name__}\n"
        )
        return 1
    try:
        return _ACTIONS[args.summit_action](database, args, out, err)
    except service.SummitError as exc:
        err.write(f"error: {exc}\n")
        return 2
    except SQLAlchemyError as exc:
        err.write(f"error: the summit database failed: {type(exc).__name__}\n")
        return 1


def _migrate(database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from comparisons.summit import db

    out.write(f"summit database {db.redacted(db.database_url(args.db))} at revision {db.current_revision(database)}\n")
    return 0


def _create(database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from comparisons.summit import service

    event = service.create_event(database, args.event, args.title)
    out.write(f"created {event.code}: {event.title}\n")
    return 0


def _answer(database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from comparisons.summit import questions, service

    ev = _evidence(args.data, err)
    if ev is None:
        return 1
    service.event_info(database, args.event)  # an unknown event is named before an unknown question
    options = [o.strip() for value in args.option for o in value.split(",") if o.strip()]
    record = service.answer(
        database,
        args.event,
        service.cli_handle(args.participant),
        args.participant,
        args.question,
        options,
        questions.catalogue(ev),
        certainty=args.certainty,
        comment=args.comment,
    )
    verb = "answered" if record.revision == 1 else "changed"
    out.write(f"{verb}: {record.participant} on {record.question_id}: {' > '.join(record.choices)}\n")
    return 0


def _results(database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from comparisons.cli import write_frame
    from comparisons.summit import questions, results, service

    ev = _evidence(args.data, err)
    if ev is None:
        return 1
    event = service.event_info(database, args.event)
    tallies = results.tally(service.answers(database, args.event), questions.catalogue(ev))
    frame = results.tally_frame(tallies)
    if args.format == "json":
        document = {
            "event": event.code,
            "title": event.title,
            "created": event.created_at.isoformat(),
            "closed": event.closed_at.isoformat() if event.closed_at else None,
            "participants": service.participant_count(database, args.event),
            "results": json.loads(frame.to_json(orient="records", force_ascii=False)),
        }
        json.dump(document, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.format == "csv":
        write_frame(frame, "csv", out)
    else:
        state = f"closed {event.closed_at:%Y-%m-%d %H:%M} UTC" if event.closed_at else "open"
        count = service.participant_count(database, args.event)
        out.write(f"{event.code}: {event.title} ({state}; {count_en(count, 'participant')})\n")
        write_frame(frame, "table", out)
    return 0


def _close(database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from comparisons.summit import service

    event = service.close_event(database, args.event)
    out.write(f"closed {event.code} at {event.closed_at:%Y-%m-%d %H:%M:%S} UTC\n")
    return 0


def _export(database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datetime import UTC, datetime

    from comparisons.outputs.exports import Stamp, to_csv, to_xlsx
    from comparisons.summit import questions, results, service

    suffix = args.out.suffix.lower()
    if suffix not in (".csv", ".xlsx") or not args.out.parent.is_dir():
        err.write("error: --out must be a .csv or .xlsx file in an existing folder\n")
        return 2
    ev = _evidence(args.data, err)
    if ev is None:
        return 1
    event = service.event_info(database, args.event)
    stamp = Stamp.of(datetime.now(UTC).replace(microsecond=0), ev.version)
    table = results.answers_table(
        service.answers(database, args.event), questions.questions(ev, args.lang), event, args.lang, stamp
    )
    args.out.write_bytes(to_csv(table) if suffix == ".csv" else to_xlsx(table))
    out.write(f"wrote {args.out} ({len(table.frame)} answers)\n")
    return 0


def _pack(database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datetime import UTC, datetime

    from comparisons.outputs.pack import build_pack, write_pack
    from comparisons.summit import results

    if args.out.exists() and not args.out.is_dir():
        err.write(f"error: {args.out} exists and is not a folder\n")
        return 2
    ev = _evidence(args.data, err)
    if ev is None:
        return 1
    section = results.summit_section(database, args.event, ev, args.lang)
    pack = build_pack(ev, args.lang, datetime.now(UTC).replace(microsecond=0), summit=section)
    for path in write_pack(pack, args.out):
        out.write(f"wrote {path}\n")
    return 0


_ACTIONS = {
    "create": _create,
    "answer": _answer,
    "results": _results,
    "close": _close,
    "export": _export,
    "pack": _pack,
}
