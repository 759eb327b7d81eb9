"""The command line, over the same functions as the dashboard.

    python -m valuechain template OUT.xlsx [--lang fr|en]
    python -m valuechain check FILE... [--lang fr|en]
    python -m valuechain report FILE... [--lang fr|en] [--json]
    python -m valuechain report [FILE...] --since YEAR [--centre NAME] [--json]   (with the stored years)
    python -m valuechain export FILE... --to OUT [--lang fr|en]   (format from OUT's name)
    python -m valuechain import PATH... [--federation NAME]       (files, folders, zips → the store)
    python -m valuechain compare PATH... [--json] [--anonymise]
    python -m valuechain versions [--centre NAME] [--year YEAR] [--delete ID] [--json]
    python -m valuechain versions --deleted | --restore ID
    python -m valuechain members list|grant|revoke|first-admin …  (roles of a federation)
    python -m valuechain audit --federation NAME [--csv]
    python -m valuechain centre export|erase NAME …                (the GDPR's access and erasure)

On the local SQLite store the command line is its owner; on a shared PostgreSQL
(``VALUECHAIN_DATABASE_URL``) it acts as the person named by ``--as`` (or ``VALUECHAIN_USER``),
whose roles apply, as in the dashboard.

Each command is one function ``(args, lang) → exit code``, registered with its subparser.
``check`` and ``report`` exit 0 when there is no error, 1 when there are errors (``report``
still prints the figures, the rows in error set aside, and says so), 2 when the file cannot be
read; ``report --since`` exits 1 when the store holds no year since the one asked for. Several
files make one workbook only as its parts (one CSV file per table): two workbooks given
together are refused, naming both. No command prints a traceback to a user; the messages of
the arguments' parser are said in the language asked for (``--lang``, else ``VALUECHAIN_LANG``).

A command imports what only it needs inside its function: ``check`` does not load the store
(SQLAlchemy), the exporters (reportlab, matplotlib) or the comparison (pandas).
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from valuechain import load_paths
from valuechain.errors import Refused, StoreTooNew, UnreadableWorkbook
from valuechain.incidents import configure_logging, fault
from valuechain.model import CentreWorkbook, Problem
from valuechain.performance import gc_paused
from valuechain.reading.inputs import InputFile, ReadLimits
from valuechain.words.language import REFERENCE_LANGUAGE, language, languages
from valuechain.words.messages import say

if TYPE_CHECKING:
    from valuechain.access.service import Access
    from valuechain.store.db import Store

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2

Command = Callable[[argparse.Namespace, str], int]


# Shared pieces ---------------------------------------------------------------------------------
def _complain(text: str) -> None:
    """What went wrong, for the user: one sentence on standard error."""
    print(text, file=sys.stderr)


# Why a file could not be written, by its error number, as the user's language says it.
_WRITE_FAILURES = {
    errno.ENOENT: "write_failed_no_folder",
    errno.ENOTDIR: "write_failed_no_folder",
    errno.EACCES: "write_failed_permission",
    errno.EPERM: "write_failed_permission",
    errno.EROFS: "write_failed_permission",
    errno.EISDIR: "write_failed_is_folder",
    errno.ENOSPC: "write_failed_full",
}


def _write(out: str, data: bytes, lang: str, message: str) -> int:
    """Write an output file; a folder that does not exist is one sentence in the user's
    language, not a traceback nor the system's English."""
    try:
        Path(out).write_bytes(data)
    except OSError as error:
        _complain(say("ui", _WRITE_FAILURES.get(error.errno or 0, "write_failed"), lang, path=out))
        return EXIT_UNREADABLE
    print(say("ui", message, lang, path=out))
    return EXIT_OK


def _workbook(args: argparse.Namespace) -> CentreWorkbook:
    """The files given, read within the limits asked for (else those of the environment)."""
    defaults = ReadLimits.from_environment()
    return load_paths(
        args.files,
        ReadLimits(max_file_mb=args.max_file_mb or defaults.max_file_mb, max_rows=args.max_rows or defaults.max_rows),
    )


@contextmanager
def _opened_store() -> Iterator[Store]:
    from valuechain.store.db import Store

    store = Store()
    try:
        yield store
    finally:
        store.dispose()


def _access(store: Store, person: str | None) -> Access:
    """Who the command line is: the owner of a local SQLite store, or on a shared PostgreSQL the
    person named by ``--as``, with the roles the store holds for them (``Refused`` else)."""
    from valuechain.access.people import Identity, normalise_person, user_of
    from valuechain.access.policy import User
    from valuechain.access.service import Access

    if store.engine.dialect.name == "sqlite" and not person:
        return Access(store, User.local_owner())
    if not person:
        raise Refused("cli_needs_person")
    user = user_of(store, Identity(normalise_person(person), person))
    if not user.has_role:
        raise Refused("no_role")
    return Access(store, user)


def _as_person(command: Callable[[Access, argparse.Namespace, str], int]) -> Command:
    """A command over the store, done as the person the command line is (``--as``)."""

    def with_access(args: argparse.Namespace, lang: str) -> int:
        with _opened_store() as store:
            return command(_access(store, args.acting), args, lang)

    return with_access


def _location(problem: Problem, lang: str) -> str:
    parts = []
    if problem.sheet:
        parts.append(f"{say('ui', 'sheet', lang)} {problem.sheet}")
    if problem.row is not None:
        parts.append(f"{say('ui', 'row', lang)} {problem.row}")
    if problem.column:
        parts.append(f"{say('ui', 'column', lang)} {problem.column}")
    return ", ".join(parts)


def _print_problems(workbook: CentreWorkbook, lang: str) -> None:
    for problem in workbook.problems:
        where = _location(problem, lang)
        prefix = f"{problem.severity_label(lang)} — {where}" if where else problem.severity_label(lang)
        print(say("ui", "label_value", lang, label=prefix, value=problem.message(lang)))


# The commands on files -------------------------------------------------------------------------
def _template(args: argparse.Namespace, lang: str) -> int:
    from valuechain.workbook.template import build_template
    from valuechain.workbook.writing import workbook_bytes

    if Path(args.out).suffix.lower() != ".xlsx":
        # An Excel file named .csv or .ods would not open as what its name says.
        _complain(
            say("ui", "template_extension", lang, path=args.out, suggested=str(Path(args.out).with_suffix(".xlsx")))
        )
        return EXIT_ERRORS
    if Path(args.out).exists() and not args.force:
        _complain(say("ui", "output_exists", lang, path=args.out))
        return EXIT_ERRORS
    return _write(args.out, workbook_bytes(build_template(lang)), lang, "template_written")


def _check(args: argparse.Namespace, lang: str) -> int:
    workbook = _workbook(args)
    _print_problems(workbook, lang)

    def counted(what: str) -> str:
        # A table's valid rows counted as records: counting them as a typed table loaded pandas.
        rows = getattr(workbook, what) if what in ("errors", "warnings") else workbook.rows_of(what)
        return say("count", what, lang, count=len(rows))

    errors = len(workbook.errors)
    key = "summary_errors" if errors else "summary_ok"
    print(say("ui", key, lang, name=workbook.raw.name, errors=counted("errors"), warnings=counted("warnings")))
    print(
        say(
            "ui",
            "counts",
            lang,
            actors=counted("actors"),
            activities=counted("activities"),
            flows=counted("flows"),
            indicators=counted("indicators"),
        )
    )
    return EXIT_ERRORS if errors else EXIT_OK


def _report(args: argparse.Namespace, lang: str) -> int:
    if args.since is not None:
        return _as_person(_report_since)(args, lang)
    if not args.files:
        _complain(say("ui", "no_files", lang))
        return EXIT_ERRORS
    # The analysis' libraries (networkx above all: a tenth of the command at 20,000 flows) are
    # imported while the file is parsed, since the spreadsheet reader parses without holding
    # the interpreter's lock: both go at once on two cores.
    importing = threading.Thread(target=_import_the_analysis, daemon=True)
    importing.start()
    # Only what the report says is computed (each figure on first use), with the collector
    # paused throughout: a report makes many objects and no cycle worth looking for.
    with gc_paused():
        try:
            workbook = _workbook(args)
        finally:
            importing.join()
        from valuechain.chain.analysis import analyse
        from valuechain.chain.metrics import start_network_figures
        from valuechain.media import report

        analysis = analyse(workbook)
        start_network_figures(analysis.graph)  # on another core, while the rest is computed
        said = (
            json.dumps(report.figures(analysis, lang), ensure_ascii=False, indent=2)
            if args.json
            else report.text_report(analysis, lang)
        )
    print(said)
    _keep_to_the_end(analysis)
    # Like check: figures of a workbook with errors are figures without the rows set aside.
    return EXIT_ERRORS if analysis.workbook.errors else EXIT_OK


# What the last command made, kept until the process ends: a report's workbook and graph took
# 0.5 s to free at 200,000 flows (0.07 s at 20,000), object by object, when the command
# returned; the program's end (``_leave``) lets them go with the process. Only the last
# command's: a program that calls ``main`` again frees the one before then.
_KEPT_TO_THE_END: list[object] = []


def _keep_to_the_end(*made: object) -> None:
    _KEPT_TO_THE_END[:] = made


def _import_the_analysis() -> None:
    """What a report needs beyond reading. A failure here comes again at the import that
    follows in the main thread, where it is said as any fault is."""
    with suppress(Exception):
        import valuechain.media.report  # noqa: F401  (the chain with it, and networkx)
        from valuechain.chain.metrics import _igraph

        _igraph()


def _report_since(access: Access, args: argparse.Namespace, lang: str) -> int:
    """A centre's figures with its years in the store since ``--since``: the workbook given is
    its newest year (it replaces a stored version of the same year), or, with no file, the
    stored centre ``--centre``."""
    from valuechain.access.policy import Operation
    from valuechain.chain.analysis import analyse
    from valuechain.chain.evolution import evolution, evolution_json, with_current
    from valuechain.chain.figures import CODES, DEFINITIONS
    from valuechain.media import report

    analysis = None
    if args.files:
        analysis = analyse(load_paths(args.files, ReadLimits.from_environment()), compute_all=True)
        name = analysis.workbook.centre.name
    elif args.centre:
        name = args.centre
    else:
        raise Refused("cli_since_centre")
    centre = _centre_named(access, name, Operation.FIGURES, lang)
    if centre is None:
        return EXIT_ERRORS
    years, decisions, _ = access.stored_years(centre["id"], args.since)
    latest = None
    if analysis is not None:
        latest = report.figures(analysis, lang)
        found = with_current(years, decisions, analysis.workbook.centre.year, analysis.graph, latest)
    else:
        found = evolution(years, decisions)
    if not found.years:
        # Nothing since that year: a sentence and an error, not an empty "Années :".
        _complain(say("ui", "since_none", lang, centre=centre["name"], year=args.since))
        return EXIT_ERRORS
    if args.json:
        result = dict(latest or {"centre": centre["name"]})
        result["evolution"] = evolution_json(found, CODES, DEFINITIONS)
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return EXIT_OK
    if analysis is not None:
        print(report.text_report(analysis, lang))
        print()
    for line in _evolution_lines(found, lang):
        print(line)
    return EXIT_ERRORS if analysis is not None and analysis.workbook.errors else EXIT_OK


def _centre_named(access: Access, name: str, operation, lang: str) -> dict | None:
    """The stored centre ``name`` stands for; else ``None``, said with the names closest to it
    among the centres this person may see (a typo gets its suggestion)."""
    import difflib

    try:
        return access.centre_named(name, operation)
    except Refused as refused:
        if refused.reason != "unknown_centre":
            raise
    names = [c["name"] for c in access.centres(operation)]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5) or difflib.get_close_matches(
        name.casefold(), [n.casefold() for n in names], n=3, cutoff=0.5
    )
    close = [next(n for n in names if n.casefold() == c.casefold()) for c in close]
    if close:
        _complain(say("ui", "centre_unknown_close", lang, name=name, close=" ; ".join(close)))
    else:
        _complain(say("ui", "centre_unknown_none", lang, name=name))
    return None


def _evolution_lines(found, lang: str) -> list[str]:
    """The renewal of each year, as sentences."""
    from valuechain.chain.metrics import Undefined
    from valuechain.media import formatting as fmt

    def share(value) -> str:
        return fmt.DASH if isinstance(value, Undefined) else fmt.percent(value, lang)

    lines = [say("ui", "since_years", lang, years=", ".join(str(y) for y in found.years))]
    for renewal in found.renewals:
        lines.append(
            say(
                "ui",
                "since_renewal",
                lang,
                year=renewal.year,
                previous=renewal.previous_year,
                new=share(renewal.new_share),
                lost=share(renewal.lost_share),
                new_hours=share(renewal.new_hours_share),
                lost_hours=share(renewal.lost_hours_share),
                kept=len(renewal.kept),
            )
        )
    return lines


def _export(args: argparse.Namespace, lang: str) -> int:
    from valuechain.chain.analysis import analyse
    from valuechain.media.exporters import EXPORTERS, export, exporter_for

    workbook = _workbook(args)
    suffix = exporter_for(args.out)
    if suffix is None:
        _complain(say("ui", "export_unknown", lang, path=args.out, formats=", ".join(sorted(EXPORTERS))))
        return EXIT_UNREADABLE
    written = _write(
        args.out, export(analyse(workbook), suffix, lang, Path(args.files[0]).name), lang, "export_written"
    )
    if written == EXIT_OK and workbook.errors:
        # The file is written, figures without the rows set aside: said, as report says it,
        # and the exit code of a workbook with errors (report's, check's).
        from valuechain.media.report import problems_line

        _complain(problems_line(workbook, lang))
        return EXIT_ERRORS
    return written


def _compare(args: argparse.Namespace, lang: str) -> int:
    from valuechain import load_files
    from valuechain.chain.analysis import analyse
    from valuechain.chain.compare import anonymised_reports, centres_by_year, with_changes
    from valuechain.chain.distribution import MIN_GROUP
    from valuechain.media import report
    from valuechain.media.comparison import comparison_frame
    from valuechain.store.batch import collect
    from valuechain.vocabulary import normalise_reference

    reports = []
    for group in collect(args.paths):
        refusal = next((f.refusal for f in group if f.refusal is not None), None)
        if refusal is not None and refusal.code == "entry_not_workbook":
            print(say("ui", "import_skipped", lang, file=", ".join(f.name for f in group)), file=sys.stderr)
            continue  # a README or a script beside the workbooks: said, not read
        try:
            if refusal is not None:
                raise refusal
            workbook = load_files(group)
        except UnreadableWorkbook as unreadable:
            _complain(unreadable.message(lang))
            continue
        reports.append(report.figures(analyse(workbook, compute_all=True), lang))
    reports = with_changes(reports)  # a centre given for two years: each figure's change
    # Letters are drawn year by year: the smallest year's group is what a letter hides among.
    centres = min(
        (len({normalise_reference(name) for name in names}) for names in centres_by_year(reports).values()), default=0
    )
    if args.anonymise and centres < MIN_GROUP:
        # Under a letter among fewer than five, a centre is recognised: no anonymised comparison.
        _complain(say("benchmark", "letters_withheld", lang, count=centres, minimum=MIN_GROUP))
        return EXIT_ERRORS
    if args.anonymise and args.json:
        # The one whitelist of every anonymised medium: letters and figures, nothing else.
        reports = anonymised_reports(reports, lang)
    if args.json:
        print(json.dumps(reports, ensure_ascii=False, indent=2))
    else:
        frame = comparison_frame(reports, lang, anonymise=args.anonymise, formatted=True)
        print(_wrapped_frame(frame))
    return EXIT_OK if reports else EXIT_UNREADABLE


def _wrapped_frame(frame) -> str:
    """A table as text within the terminal's width: its columns in blocks one under the other,
    a long cell cut with "…" (the JSON has them whole)."""
    import shutil

    width = max(shutil.get_terminal_size((100, 24)).columns, 40)
    cell = max(width // 2, 20)
    shown = frame.map(lambda v: v if not isinstance(v, str) or len(v) <= cell else v[: cell - 1] + "…")
    shown.columns = [c if len(str(c)) <= cell else str(c)[: cell - 1] + "…" for c in shown.columns]
    return shown.to_string(index=False, line_width=width)


# The commands on the store ---------------------------------------------------------------------
def _import(access: Access, args: argparse.Namespace, lang: str) -> int:
    from tqdm import tqdm

    from valuechain.store.batch import collect, import_groups

    groups = collect(args.paths)
    if args.move_to_federation and args.federation and args.move_to_federation != args.federation:
        _complain(say("ui", "move_two_federations", lang, federation=args.federation, moved=args.move_to_federation))
        return EXIT_ERRORS
    target = args.move_to_federation or args.federation
    # Where each centre was: a centre moved to another federation is said.
    before = {c["id"]: c["federation"] for c in access.store.centres()}
    # The federation given wins over the one each workbook names: one batch, one federation.
    # A centre already kept in another one is refused, unless moved on purpose.
    results = import_groups(
        access,
        groups,
        target,
        lang,
        again=args.again,
        federation=target,
        move=bool(args.move_to_federation),
        progress=lambda items: tqdm(
            items,
            unit=say("ui", "workbook_unit", lang),
            file=sys.stderr,
            disable=not sys.stderr.isatty() and len(groups) < 2,
        ),
    )
    for result in results:
        if result.already and result.version is not None:
            v = result.version
            print(
                say(
                    "ui",
                    "already_imported",
                    lang,
                    file=result.file_name,
                    centre=v.centre,
                    year=v.year or "—",
                    number=v.number,
                )
            )
        elif result.version is not None:
            v = result.version
            print(
                say(
                    "ui",
                    "imported",
                    lang,
                    file=result.file_name,
                    centre=v.centre,
                    year=v.year or "—",
                    number=v.number,
                    errors=v.errors,
                )
            )
            was = before.get(v.centre_id)
            if was and v.federation and was != v.federation:
                print(say("ui", "centre_moved", lang, centre=v.centre, old=was, new=v.federation))
        elif result.skipped:
            print(say("ui", "import_skipped", lang, file=result.file_name))
        else:
            print(say("ui", "import_failed", lang, file=result.file_name, message=result.message))
    done = sum(1 for r in results if r.version is not None and not r.already)
    failed = sum(1 for r in results if r.version is None and not r.skipped)
    print(say("ui", "import_summary", lang, done=done, failed=failed, url=access.store.url.split("@")[-1]))
    return EXIT_OK if failed == 0 else EXIT_ERRORS


def _versions(access: Access, args: argparse.Namespace, lang: str) -> int:
    if args.recompute:
        return _recompute(access.store, lang)
    if args.delete is not None or args.restore is not None:
        return _delete_or_restore(access, args, lang)
    found = (
        access.deleted()
        if args.deleted
        else [v for v in access.versions(centre=args.centre) if args.year is None or v.year == args.year]
    )
    if args.json:
        print(
            json.dumps(
                [
                    dict(
                        v.__dict__,
                        imported_at=v.imported_at.isoformat(),
                        deleted_at=v.deleted_at and v.deleted_at.isoformat(),
                    )
                    for v in found
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    if found:
        print(say("ui", "versions_header", lang))
    for v in found:
        print(
            f"{v.id:>6}  {v.centre}  {v.year or '—'}  v{v.number}  {v.imported_at:%Y-%m-%d %H:%M}  "
            f"{v.file_name}  {v.federation or ''}  ({v.errors} / {v.warnings})"
        )
    return EXIT_OK


def _delete_or_restore(access: Access, args: argparse.Namespace, lang: str) -> int:
    deleting = args.delete is not None
    version_id = args.delete if deleting else args.restore
    try:
        if deleting:
            access.delete(version_id)
        else:
            access.restore(version_id)
    except Refused as refused:
        if refused.reason != "unknown_version":
            raise
        _complain(say("ui", "version_unknown", lang, id=version_id))
        return EXIT_ERRORS
    print(say("ui", "version_deleted" if deleting else "version_restored", lang, id=version_id))
    return EXIT_OK


def _recompute(store: Store, lang: str) -> int:
    from tqdm import tqdm

    stale = store.stale()
    with tqdm(total=len(stale), unit="version", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
        count = store.recompute(progress=lambda _: bar.update())
    print(say("ui", "recomputed", lang, count=count))
    return EXIT_OK


def _members(args: argparse.Namespace, lang: str) -> int:
    if args.action == "first-admin":  # a federation with no admin yet: nobody to act as
        with _opened_store() as store:
            return _first_admin(store, args, lang)
    return _as_person(MEMBER_ACTIONS[args.action])(args, lang)


def _first_admin(store: Store, args: argparse.Namespace, lang: str) -> int:
    from valuechain.access.people import first_admin

    if not args.person or not args.federation:
        raise Refused("cli_first_admin")
    role = first_admin(store, args.person, args.federation)
    print(say("ui", "role_granted", lang, person=role.person, role=role.kind, federation=role.federation))
    return EXIT_OK


def _members_list(access: Access, args: argparse.Namespace, lang: str) -> int:
    for federation in [args.federation] if args.federation else access.administered():
        for role in access.roles(federation):
            print(f"{role.id:>6}  {role.person}  {role.kind}  {role.federation}  {role.centre or ''}")
    return EXIT_OK


def _members_grant(access: Access, args: argparse.Namespace, lang: str) -> int:
    if not args.person or not args.role or not args.federation:
        raise Refused("cli_grant")
    centre_id = None
    if args.centre:
        centre = access.store.centre_of_key(args.centre)
        if centre is None:
            raise Refused("unknown_centre")
        centre_id = centre["id"]
    role = access.grant(args.person, args.role, args.federation, centre_id)
    print(say("ui", "role_granted", lang, person=role.person, role=role.kind, federation=role.federation))
    return EXIT_OK


def _members_revoke(access: Access, args: argparse.Namespace, lang: str) -> int:
    if not (args.person or "").isdigit():
        raise Refused("unknown_role")
    access.revoke(int(args.person))
    print(say("ui", "role_revoked", lang, id=args.person))
    return EXIT_OK


MEMBER_ACTIONS: dict[str, Callable[[Access, argparse.Namespace, str], int]] = {
    "list": _members_list,
    "grant": _members_grant,
    "revoke": _members_revoke,
}


def _audit(access: Access, args: argparse.Namespace, lang: str) -> int:
    from valuechain.access.audit import audit_csv

    entries = access.audit(args.federation)
    if args.csv:
        sys.stdout.write(audit_csv(entries, lang))
    else:
        for e in entries:
            print(
                f"{e.at:%Y-%m-%d %H:%M:%S}  {e.person}  {e.action}  {e.centre or ''}  {e.version_id or ''}  {e.detail or ''}"
            )
    return EXIT_OK


def _centre(access: Access, args: argparse.Namespace, lang: str) -> int:
    from valuechain.access.policy import Operation

    centre = access.centre_named(args.name, Operation.CENTRE_EXPORT if args.action == "export" else Operation.ERASE)
    if args.action == "export":
        if not args.out:
            raise Refused("cli_centre_export")
        return _write(args.out, access.centre_export(centre["id"]), lang, "centre_exported")
    if not args.yes:
        raise Refused("cli_erase_yes", centre=centre["name"])
    removed = access.erase_centre(centre["id"])
    print(say("ui", "centre_erased", lang, centre=centre["name"], count=removed))
    return EXIT_OK


def _accounts(args: argparse.Namespace, lang: str) -> int:
    """The centre's accounts (a FEC) read, the chain they show proposed as a workbook to review,
    its totals reconciled with the accounts; exit 1 when lines were left out or do not balance."""
    from valuechain.accounts.review import review

    limits = ReadLimits.from_environment()
    if args.into and not args.out:
        _complain(say("accounts", "into_needs_out", lang))
        return EXIT_UNREADABLE
    if args.into and Path(args.out).resolve() == Path(args.into).resolve():
        _complain(say("accounts", "into_is_out", lang))
        return EXIT_UNREADABLE
    if Path(args.fec).is_dir():
        _complain(say("accounts", "fec_is_folder", lang, name=args.fec))
        return EXIT_UNREADABLE
    found = review(InputFile.from_path(args.fec, limits), args.centre, lang, limits)
    data, written = found.workbook_bytes(lang), "accounts_written"
    if args.into:
        from valuechain.reading.reader import read_files

        merged = found.merged_into(read_files([InputFile.from_path(args.into, limits)], limits), lang)
        data, written = merged.data, "accounts_merged_written"
        if merged.refused:  # the workbook is of another year: nothing added, nothing written
            for line in found.lines(lang):
                print(line)
            _complain(merged.lines(lang)[0])
            return EXIT_ERRORS
    for line in found.lines(lang) + (merged.lines(lang) if args.into else []):
        print(line)
    if args.out:
        code = _write(args.out, data, lang, written)
        if code != EXIT_OK:
            return code
    return EXIT_ERRORS if any(p.is_error for p in found.proposal.problems) else EXIT_OK


# The parser ------------------------------------------------------------------------------------
class _Parser(argparse.ArgumentParser):
    """A command's parser whose epilog may be a function, called only when the help is shown:
    the report's lists the JSON keys, which come with the whole chain (networkx), and a report
    imports that while its file is parsed, not before."""

    def format_help(self) -> str:
        if callable(self.epilog):
            self.epilog = self.epilog()
        return super().format_help()


def _report_epilog() -> str:
    from valuechain.media import report

    return (
        "--json: "
        + ", ".join(report.contract_keys())
        + ", … — sortie / exit: 0 sans erreur / no error, 1 erreurs / errors (--since: aucune année / no year), "
        "2 illisible / unreadable"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m valuechain", description="Chaîne de valeur d'un centre social / a social centre's value chain"
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    template = commands.add_parser("template", help="écrire le modèle vierge / write the blank template")
    template.add_argument("out", help="un fichier .xlsx / an .xlsx file")
    template.add_argument(
        "--force", action="store_true", help="remplacer un fichier existant / replace an existing file"
    )
    template.set_defaults(handler=_template)

    check = commands.add_parser("check", help="vérifier un classeur / check a workbook")
    check.add_argument("files", nargs="+")
    check.set_defaults(handler=_check)

    reporting = commands.add_parser(
        "report",
        help="résumé des chiffres / summary of the figures",
        epilog=_report_epilog,  # type: ignore[arg-type]  # a function: _Parser calls it
    )
    reporting.add_argument("files", nargs="*")
    reporting.add_argument("--json", action="store_true", help="un objet JSON / one JSON object")
    reporting.add_argument(
        "--since",
        type=int,
        metavar="YEAR",
        help="avec les années gardées dans la base depuis YEAR / with the years in the store since YEAR",
    )
    reporting.add_argument(
        "--centre", help="avec --since sans fichier : le centre / with --since and no file: the centre"
    )
    reporting.set_defaults(handler=_report)

    export = commands.add_parser(
        "export", help="exporter (pdf, xlsx, html, png, gexf, graphml, json, .kumu.xlsx, .cvn.csv)"
    )
    export.add_argument("files", nargs="+")
    export.add_argument("--to", required=True, dest="out")
    export.set_defaults(handler=_export)

    importing = commands.add_parser("import", help="garder des classeurs dans la base / keep workbooks in the store")
    importing.add_argument("paths", nargs="+")
    importing.add_argument("--federation", help="étiquette du lot / tag for the batch")
    importing.add_argument(
        "--move-to-federation",
        metavar="NAME",
        help="déplacer vers NAME les centres déjà gardés ailleurs, avec toutes leurs versions / "
        "move centres kept elsewhere to NAME, with all their versions",
    )
    importing.add_argument(
        "--again", action="store_true", help="réimporter un fichier déjà gardé / import a file already kept again"
    )
    importing.set_defaults(handler=_as_person(_import))

    compare = commands.add_parser(
        "compare",
        help="comparer les centres de ces fichiers (pas de la base) / compare the centres of these files (not the store)",
    )
    compare.add_argument("paths", nargs="+")
    compare.add_argument("--json", action="store_true")
    compare.add_argument("--anonymise", action="store_true")
    compare.set_defaults(handler=_compare)

    versions = commands.add_parser("versions", help="versions gardées dans la base / versions in the store")
    versions.add_argument("--centre")
    versions.add_argument("--year", type=int)
    versions.add_argument("--delete", type=int, metavar="ID")
    versions.add_argument(
        "--restore", type=int, metavar="ID", help="rendre une version supprimée / restore a deleted version"
    )
    versions.add_argument("--deleted", action="store_true", help="les versions supprimées / the deleted versions")
    versions.add_argument("--json", action="store_true")
    versions.add_argument(
        "--recompute",
        action="store_true",
        help="recalculer les chiffres gardés avec les définitions d'aujourd'hui / "
        "compute stored figures again with today's definitions",
    )
    versions.set_defaults(handler=_as_person(_versions))

    members = commands.add_parser("members", help="rôles d'une fédération / a federation's roles")
    members.add_argument("action", choices=("list", "grant", "revoke", "first-admin"))
    members.add_argument(
        "person", nargs="?", help="e-mail, ou l'identifiant du rôle à retirer / or the role's id to revoke"
    )
    members.add_argument("role", nargs="?", choices=("admin", "analyst", "member"))
    members.add_argument("--federation")
    members.add_argument("--centre", help="le centre d'un membre / a member's centre")
    members.set_defaults(handler=_members)

    audit = commands.add_parser("audit", help="journal d'une fédération / a federation's audit log")
    audit.add_argument("--federation", required=True)
    audit.add_argument("--csv", action="store_true")
    audit.set_defaults(handler=_as_person(_audit))

    centre = commands.add_parser("centre", help="un centre entier : exporter, effacer / a centre whole: export, erase")
    centre.add_argument("action", choices=("export", "erase"))
    centre.add_argument("name")
    centre.add_argument("--to", dest="out", help="le fichier .zip / the .zip file")
    centre.add_argument("--yes", action="store_true", help="effacer pour de bon / erase for good")
    centre.set_defaults(handler=_as_person(_centre))

    accounts = commands.add_parser(
        "accounts", help="proposer la chaîne d'après un FEC / propose the chain from a FEC (accounts)"
    )
    accounts.add_argument("fec", help="le FEC (.txt) ou un grand livre .xlsx/.csv / the FEC or a ledger export")
    accounts.add_argument("--out", help="le classeur proposé (.xlsx) / the proposed workbook")
    accounts.add_argument("--centre", default="Centre social", help="le nom du centre / the centre's name")
    accounts.add_argument(
        "--into",
        metavar="WORKBOOK",
        help="ajouter au classeur du centre, sans toucher à ce qui est saisi (avec --out) / "
        "add to the centre's workbook, leaving what is typed as it is (with --out)",
    )
    accounts.add_argument("--lang", choices=[spoken.code for spoken in languages()], default=_asked_language())
    accounts.set_defaults(handler=_accounts)

    for sub in (importing, versions, members, audit, centre, reporting):
        sub.add_argument(
            "--as",
            dest="acting",
            metavar="EMAIL",
            default=os.environ.get("VALUECHAIN_USER"),
            help="sur PostgreSQL : qui agit / on PostgreSQL: who acts (VALUECHAIN_USER)",
        )
    for sub in (template, check, reporting, export, importing, compare, versions, members, audit, centre):
        sub.add_argument("--lang", choices=[spoken.code for spoken in languages()], default=_asked_language())
    for sub in (check, reporting, export):
        sub.add_argument("--max-file-mb", type=float, help="taille maximale d'un fichier / largest file (Mo/MB)")
        sub.add_argument("--max-rows", type=int, help="lignes maximales par feuille / most rows a sheet")
    return parser


def _asked_language(argv: list[str] | None = None) -> str:
    """The language asked for, before the arguments are parsed (their own messages are said in
    it): ``--lang`` among ``argv``, else ``VALUECHAIN_LANG``, else French."""
    codes = [spoken.code for spoken in languages()]
    argv = argv or []
    for index, word in enumerate(argv):
        value = word.split("=", 1)[1] if word.startswith("--lang=") else None
        if word == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        if value in codes:
            return value
    wanted = os.environ.get("VALUECHAIN_LANG", "")
    return wanted if wanted in codes else REFERENCE_LANGUAGE


@contextmanager
def _parser_speaking(lang: str) -> Iterator[argparse.ArgumentParser]:
    """The parser, its frame ("usage:", "error: the following arguments are required") said in
    ``lang`` from the catalogue (context "argparse", keyed by argparse's own English): argparse
    asks gettext for each of its sentences, through its module's ``_`` and ``ngettext``."""

    def translated(text: str) -> str:
        try:
            return say("argparse", text, lang)
        except KeyError:
            return text  # a sentence of a newer Python: in English rather than not at all

    def translated_plural(singular: str, plural: str, count: int) -> str:
        return translated(singular if count == 1 else plural)

    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = translated, translated_plural  # type: ignore[attr-defined]
    try:
        yield _parser()
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


# The program -----------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """Run one command; its exit code: 0 done, 1 errors in the files or a refusal, 2 unreadable
    (or a fault of ours, said in one sentence with its incident reference)."""
    configure_logging()
    with _parser_speaking(_asked_language(argv if argv is not None else sys.argv[1:])) as parser:
        args = parser.parse_args(argv)
    lang = language(args.lang).code
    try:
        return args.handler(args, lang)
    except Refused as refused:
        _complain(refused.message(lang))
        return EXIT_ERRORS
    except (UnreadableWorkbook, StoreTooNew) as unreadable:
        _complain(unreadable.message(lang))
        return EXIT_UNREADABLE
    except BrokenPipeError:
        raise  # the reader went away: `run` ends quietly
    except Exception as error:  # a bug of ours: still one sentence, never a traceback
        said = fault(error, "python -m valuechain " + " ".join(argv if argv is not None else sys.argv[1:]))
        _complain(said.message(lang))
        return EXIT_UNREADABLE


# Control characters from cells (an escape sequence in a name could recolour or rewrite the
# user's terminal) are printed as their escapes; line ends, tabs and the progress bar's \r stay.
_TERMINAL_ESCAPES = {code: f"\\x{code:02x}" for code in (*range(0, 9), 11, 12, *range(14, 32), 127, *range(128, 160))}
_CONTROL = re.compile("[" + "".join(re.escape(chr(code)) for code in _TERMINAL_ESCAPES) + "]")


class _TerminalSafe:
    """A text stream that writes control characters as escapes."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        # Looked for first: translating a report of 300,000 characters that holds none costs
        # 10 ms, a search a few hundred microseconds.
        if _CONTROL.search(text) is None:
            return self._stream.write(text)
        return self._stream.write(text.translate(_TERMINAL_ESCAPES))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def run() -> int:
    """The command line as a program: safe output, and quiet ends (Ctrl+C, `| head`)."""
    sys.stdout, sys.stderr = _TerminalSafe(sys.stdout), _TerminalSafe(sys.stderr)
    try:
        code = main()
        sys.stdout.flush()
        sys.stderr.flush()
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`report … | head`): nothing more to say, and nothing to say it to.
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # the process's standard output
        return 0
    _leave(code)
    return code


def _leave(code: int) -> None:
    """End the program now that everything is written: the interpreter's own ending frees a
    large workbook's objects one by one (0.3 s at 20,000 flows) for a process that is over.
    What the program asked to run at its end runs first (logging closes its files there);
    with a thread or a worker process still going, the ordinary ending waits for them."""
    import atexit
    import logging

    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return
    multiprocessing = sys.modules.get("multiprocessing")
    if multiprocessing is not None and multiprocessing.active_children():
        return
    atexit._run_exitfuncs()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        if stream is not None:
            stream.flush()
    os._exit(code)
