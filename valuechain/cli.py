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

``check`` exits 0 when there is no error, 1 when there are errors, 2 when the file cannot be
read; no command prints a traceback to a user.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from valuechain import load_paths
from valuechain.words.messages import UI, lang_or_default, say
from valuechain.model import StoreTooNew, UnreadableWorkbook
from valuechain.reading.reader import ReadLimits

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    from valuechain.media.report import contract_keys  # the JSON keys, from the figures registry

    parser = argparse.ArgumentParser(prog="python -m valuechain",
                                     description="Chaîne de valeur d'un centre social / a social centre's value chain")
    commands = parser.add_subparsers(dest="command", required=True)
    template = commands.add_parser("template", help="écrire le modèle vierge / write the blank template")
    template.add_argument("out")
    check = commands.add_parser("check", help="vérifier un classeur / check a workbook")
    check.add_argument("files", nargs="+")
    report = commands.add_parser("report", help="résumé des chiffres / summary of the figures",
                                 epilog="--json: " + ", ".join(contract_keys()) + ", …")
    report.add_argument("files", nargs="*")
    report.add_argument("--json", action="store_true", help="un objet JSON / one JSON object")
    report.add_argument("--since", type=int, metavar="YEAR",
                        help="avec les années gardées dans la base depuis YEAR / with the years in the store since YEAR")
    report.add_argument("--centre", help="avec --since sans fichier : le centre / with --since and no file: the centre")
    export = commands.add_parser("export", help="exporter (pdf, xlsx, html, png, gexf, graphml, json, .kumu.xlsx, .cvn.csv)")
    export.add_argument("files", nargs="+")
    export.add_argument("--to", required=True, dest="out")
    importing = commands.add_parser("import", help="garder des classeurs dans la base / keep workbooks in the store")
    importing.add_argument("paths", nargs="+")
    importing.add_argument("--federation", help="étiquette du lot / tag for the batch")
    importing.add_argument("--again", action="store_true",
                           help="réimporter un fichier déjà gardé / import a file already kept again")
    compare = commands.add_parser("compare", help="comparer les centres de ces fichiers (pas de la base) / compare the centres of these files (not the store)")
    compare.add_argument("paths", nargs="+")
    compare.add_argument("--json", action="store_true")
    compare.add_argument("--anonymise", action="store_true")
    versions = commands.add_parser("versions", help="versions gardées dans la base / versions in the store")
    versions.add_argument("--centre")
    versions.add_argument("--year", type=int)
    versions.add_argument("--delete", type=int, metavar="ID")
    versions.add_argument("--restore", type=int, metavar="ID", help="rendre une version supprimée / restore a deleted version")
    versions.add_argument("--deleted", action="store_true", help="les versions supprimées / the deleted versions")
    versions.add_argument("--json", action="store_true")
    versions.add_argument("--recompute", action="store_true",
                          help="recalculer les chiffres gardés avec les définitions d'aujourd'hui / "
                               "compute stored figures again with today's definitions")
    members = commands.add_parser("members", help="rôles d'une fédération / a federation's roles")
    members.add_argument("action", choices=("list", "grant", "revoke", "first-admin"))
    members.add_argument("person", nargs="?", help="e-mail, ou l'identifiant du rôle à retirer / or the role's id to revoke")
    members.add_argument("role", nargs="?", choices=("admin", "analyst", "member"))
    members.add_argument("--federation")
    members.add_argument("--centre", help="le centre d'un membre / a member's centre")
    audit = commands.add_parser("audit", help="journal d'une fédération / a federation's audit log")
    audit.add_argument("--federation", required=True)
    audit.add_argument("--csv", action="store_true")
    centre = commands.add_parser("centre", help="un centre entier : exporter, effacer / a centre whole: export, erase")
    centre.add_argument("action", choices=("export", "erase"))
    centre.add_argument("name")
    centre.add_argument("--to", dest="out", help="le fichier .zip / the .zip file")
    centre.add_argument("--yes", action="store_true", help="effacer pour de bon / erase for good")
    for sub in (importing, versions, members, audit, centre, report):
        sub.add_argument("--as", dest="acting", metavar="EMAIL", default=os.environ.get("VALUECHAIN_USER"),
                         help="sur PostgreSQL : qui agit / on PostgreSQL: who acts (VALUECHAIN_USER)")
    for sub in (template, check, report, export, importing, compare, versions, members, audit, centre):
        sub.add_argument("--lang", choices=("fr", "en"), default="fr")
    for sub in (check, report, export):
        sub.add_argument("--max-file-mb", type=float, help="taille maximale d'un fichier / largest file (Mo/MB)")
        sub.add_argument("--max-rows", type=int, help="lignes maximales par feuille / most rows a sheet")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    lang = lang_or_default(args.lang)
    try:
        if args.command == "template":
            return _template(args.out, lang)
        if args.command in ("import", "versions", "members", "audit", "centre"):
            from valuechain.access.service import Refused

            try:
                return _with_access(args, lang)
            except Refused as refused:
                print(refused.message(lang), file=sys.stderr)
                return EXIT_ERRORS
        if args.command == "compare":
            return _compare(args.paths, lang, args.json, args.anonymise)
        if args.command == "report" and args.since is not None:
            from valuechain.access.service import Refused

            try:
                return _report_since(args, lang)
            except Refused as refused:
                print(refused.message(lang), file=sys.stderr)
                return EXIT_ERRORS
        if not args.files:
            print(say(UI, "no_files", lang), file=sys.stderr)
            return EXIT_ERRORS
        defaults = ReadLimits.from_environment()
        limits = ReadLimits(max_file_mb=args.max_file_mb or defaults.max_file_mb,
                            max_rows=args.max_rows or defaults.max_rows)
        workbook = load_paths(args.files, limits)
        if args.command == "check":
            return _check(workbook, lang)
        if args.command == "export":
            return _export(workbook, args.out, lang, args.files[0])
        return _report(workbook, lang, args.json)
    except (UnreadableWorkbook, StoreTooNew) as unreadable:
        print(unreadable.message(lang), file=sys.stderr)
        return EXIT_UNREADABLE
    except BrokenPipeError:
        raise  # the reader went away: `run` ends quietly
    except Exception as error:  # a bug of ours: still one sentence, never a traceback
        from valuechain.incidents import fault

        said = fault(error, "python -m valuechain " + " ".join(argv if argv is not None else sys.argv[1:]))
        print(said.message(lang), file=sys.stderr)
        return EXIT_UNREADABLE


def _write(out: str, data: bytes, lang: str, message: str) -> int:
    """Write an output file; a folder that does not exist is one sentence, not a traceback."""
    try:
        Path(out).write_bytes(data)
    except OSError as error:
        print(f"{out}: {error.strerror}", file=sys.stderr)
        return EXIT_UNREADABLE
    print(say(UI, message, lang, path=out))
    return EXIT_OK


def _template(out: str, lang: str) -> int:
    from valuechain.workbook.template import build_template
    from valuechain.workbook.writing import workbook_bytes

    return _write(out, workbook_bytes(build_template(lang)), lang, "template_written")


def _export(workbook, out: str, lang: str, source: str) -> int:
    from valuechain.chain.analysis import analyse
    from valuechain.media.exporters import EXPORTERS, export, exporter_for

    suffix = exporter_for(out)
    if suffix is None:
        print(say(UI, "export_unknown", lang, path=out, formats=", ".join(sorted(EXPORTERS))), file=sys.stderr)
        return EXIT_UNREADABLE
    return _write(out, export(analyse(workbook), suffix, lang, Path(source).name), lang, "export_written")


def _access(store, person: str | None):
    """Who the command line is: the owner of a local SQLite store, or on a shared PostgreSQL the
    person named by ``--as``, with the roles the store holds for them (``Refused`` else)."""
    from valuechain.access.service import Access, Identity, Refused, User, normalise_person, user_of

    if store.engine.dialect.name == "sqlite" and not person:
        return Access(store, User.local_owner())
    if not person:
        raise Refused("cli_needs_person")
    user = user_of(store, Identity(normalise_person(person), person))
    if not user.has_role:
        raise Refused("no_role")
    return Access(store, user)


def _with_access(args, lang: str) -> int:
    from valuechain.store.db import Store

    store = Store()
    try:
        if args.command == "members" and args.action == "first-admin":
            return _first_admin(store, args, lang)
        access = _access(store, args.acting)
        if args.command == "import":
            return _import(access, args.paths, args.federation, lang, args.again)
        if args.command == "versions":
            if args.recompute:
                return _recompute(store, lang)
            return _versions(access, args, lang)
        if args.command == "members":
            return _members(access, args, lang)
        if args.command == "audit":
            return _audit(access, args.federation, args.csv, lang)
        return _centre(access, args, lang)
    finally:
        store.dispose()


def _first_admin(store, args, lang: str) -> int:
    from valuechain.access.service import Refused, first_admin

    if not args.person or not args.federation:
        raise Refused("cli_first_admin")
    role = first_admin(store, args.person, args.federation)
    print(say(UI, "role_granted", lang, person=role.person, role=role.kind, federation=role.federation))
    return EXIT_OK


def _members(access, args, lang: str) -> int:
    from valuechain.access.service import Refused

    if args.action == "revoke":
        if not (args.person or "").isdigit():
            raise Refused("unknown_role")
        access.revoke(int(args.person))
        print(say(UI, "role_revoked", lang, id=args.person))
        return EXIT_OK
    federations = [args.federation] if args.federation else access.administered()
    if args.action == "grant":
        if not args.person or not args.role or not args.federation:
            raise Refused("cli_grant")
        centre_id = None
        if args.centre:
            centre = access.store.centre_of_key(args.centre)
            if centre is None:
                raise Refused("unknown_centre")
            centre_id = centre["id"]
        role = access.grant(args.person, args.role, args.federation, centre_id)
        print(say(UI, "role_granted", lang, person=role.person, role=role.kind, federation=role.federation))
        return EXIT_OK
    for federation in federations:
        for role in access.roles(federation):
            print(f"{role.id:>6}  {role.person}  {role.kind}  {role.federation}  {role.centre or ''}")
    return EXIT_OK


def _audit(access, federation: str, as_csv: bool, lang: str) -> int:
    from valuechain.access.service import audit_csv

    entries = access.audit(federation)
    if as_csv:
        sys.stdout.write(audit_csv(entries, lang))
    else:
        for e in entries:
            print(f"{e.at:%Y-%m-%d %H:%M:%S}  {e.person}  {e.action}  {e.centre or ''}  {e.version_id or ''}  {e.detail or ''}")
    return EXIT_OK


def _centre(access, args, lang: str) -> int:
    from valuechain.access.service import Operation, Refused

    centre = access.centre_named(args.name, Operation.CENTRE_EXPORT if args.action == "export" else Operation.ERASE)
    if args.action == "export":
        if not args.out:
            raise Refused("cli_centre_export")
        return _write(args.out, access.centre_export(centre["id"]), lang, "centre_exported")
    if not args.yes:
        raise Refused("cli_erase_yes", centre=centre["name"])
    removed = access.erase_centre(centre["id"])
    print(say(UI, "centre_erased", lang, centre=centre["name"], count=removed))
    return EXIT_OK


def _import(access, paths: list[str], federation: str | None, lang: str, again: bool = False) -> int:
    from tqdm import tqdm

    from valuechain.store.batch import collect, import_groups

    store = access.store
    groups = collect(paths)
    # The federation given wins over the one each workbook names: one batch, one federation.
    results = import_groups(access, groups, federation, lang, again=again, federation=federation,
                            progress=lambda items: tqdm(items, unit=say(UI, "workbook_unit", lang),
                                                        file=sys.stderr, disable=not sys.stderr.isatty() and len(groups) < 2))
    for result in results:
        if result.already and result.version is not None:
            v = result.version
            print(say(UI, "already_imported", lang, file=result.file_name, centre=v.centre, year=v.year or "—",
                      number=v.number))
        elif result.version is not None:
            v = result.version
            print(say(UI, "imported", lang, file=result.file_name, centre=v.centre, year=v.year or "—",
                      number=v.number, errors=v.errors))
        elif result.skipped:
            print(say(UI, "import_skipped", lang, file=result.file_name))
        else:
            print(say(UI, "import_failed", lang, file=result.file_name, message=result.message))
    done = sum(1 for r in results if r.version is not None and not r.already)
    failed = sum(1 for r in results if r.version is None and not r.skipped)
    print(say(UI, "import_summary", lang, done=done, failed=failed, url=store.url.split("@")[-1]))
    return EXIT_OK if failed == 0 else EXIT_ERRORS


def _recompute(store, lang: str) -> int:
    from tqdm import tqdm

    stale = store.stale()
    with tqdm(total=len(stale), unit="version", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
        count = store.recompute(progress=lambda _: bar.update())
    print(say(UI, "recomputed", lang, count=count))
    return EXIT_OK


def _versions(access, args, lang: str) -> int:
    from valuechain.access.service import Refused

    if args.delete is not None or args.restore is not None:
        try:
            if args.delete is not None:
                access.delete(args.delete)
            else:
                access.restore(args.restore)
        except Refused as refused:
            if refused.reason != "unknown_version":
                raise
            print(say(UI, "version_unknown", lang, id=args.delete if args.delete is not None else args.restore),
                  file=sys.stderr)
            return EXIT_ERRORS
        print(say(UI, "version_deleted" if args.delete is not None else "version_restored", lang,
                  id=args.delete if args.delete is not None else args.restore))
        return EXIT_OK
    found = access.deleted() if args.deleted else [v for v in access.versions(centre=args.centre)
                                                    if args.year is None or v.year == args.year]
    as_json = args.json
    if as_json:
        print(json.dumps([dict(v.__dict__, imported_at=v.imported_at.isoformat(),
                               deleted_at=v.deleted_at and v.deleted_at.isoformat()) for v in found],
                         ensure_ascii=False, indent=2))
    else:
        if found:
            print(say(UI, "versions_header", lang))
        for v in found:
            print(f"{v.id:>6}  {v.centre}  {v.year or '—'}  v{v.number}  {v.imported_at:%Y-%m-%d %H:%M}  "
                  f"{v.file_name}  {v.federation or ''}  ({v.errors} / {v.warnings})")
    return EXIT_OK


def _compare(paths: list[str], lang: str, as_json: bool, anonymise: bool) -> int:
    from valuechain.chain.analysis import analyse
    from valuechain.store.batch import collect
    from valuechain.words import catalogue
    from valuechain.chain.distribution import MIN_GROUP
    from valuechain.chain.compare import anonymised_reports, comparison_frame, with_changes
    from valuechain.words.messages import fill
    from valuechain.vocabulary import normalise_reference
    from valuechain.media.report import figures
    from valuechain import load_files

    reports = []
    for group in collect(paths):
        try:
            workbook = load_files(group)
        except UnreadableWorkbook as unreadable:
            print(unreadable.message(lang), file=sys.stderr)
            continue
        reports.append(figures(analyse(workbook, compute_all=True), lang))
    reports = with_changes(reports)  # a centre given for two years: each figure's change
    centres = len({normalise_reference(r["centre"]) for r in reports})
    if anonymise and centres < MIN_GROUP:
        # Under a letter among fewer than five, a centre is recognised: no anonymised comparison.
        print(fill(catalogue.text("benchmark", "letters_withheld", lang), lang, count=centres, minimum=MIN_GROUP),
              file=sys.stderr)
        return EXIT_ERRORS
    if anonymise and as_json:
        reports = anonymised_reports(reports, lang)
    if as_json:
        print(json.dumps(reports, ensure_ascii=False, indent=2))
    else:
        print(comparison_frame(reports, lang, anonymise=anonymise, formatted=True).to_string(index=False))
    return EXIT_OK if reports else EXIT_UNREADABLE


def _location(problem, lang: str) -> str:
    parts = []
    if problem.sheet:
        parts.append(f"{say(UI, 'sheet', lang)} {problem.sheet}")
    if problem.row is not None:
        parts.append(f"{say(UI, 'row', lang)} {problem.row}")
    if problem.column:
        parts.append(f"{say(UI, 'column', lang)} {problem.column}")
    return ", ".join(parts)


def _check(workbook, lang: str) -> int:
    for problem in workbook.problems:
        where = _location(problem, lang)
        prefix = f"{problem.severity_label(lang)} — {where}" if where else problem.severity_label(lang)
        print(say(UI, "label_value", lang, label=prefix, value=problem.message(lang)))
    errors, warnings = len(workbook.errors), len(workbook.warnings)
    key = "summary_errors" if errors else "summary_ok"
    print(say(UI, key, lang, name=workbook.raw.name, errors=errors, warnings=warnings))
    print(say(UI, "counts", lang, actors=len(workbook.actors), activities=len(workbook.activities),
              flows=len(workbook.flows), indicators=len(workbook.indicators)))
    return EXIT_ERRORS if errors else EXIT_OK


def _report_since(args, lang: str) -> int:
    """A centre's figures with its years in the store since ``--since``: the workbook given is
    its newest year (it replaces a stored version of the same year), or, with no file, the
    stored centre ``--centre``."""
    from valuechain.access.service import Operation, Refused
    from valuechain.chain.analysis import analyse
    from valuechain.chain.evolution import evolution, evolution_json, with_current
    from valuechain.chain.figures import CODES, DEFINITIONS
    from valuechain.media.report import figures, text_report
    from valuechain.store.db import Store

    store = Store()
    try:
        access = _access(store, args.acting)
        analysis = None
        if args.files:
            analysis = analyse(load_paths(args.files, ReadLimits.from_environment()), compute_all=True)
            name = analysis.workbook.centre.name
        elif args.centre:
            name = args.centre
        else:
            raise Refused("cli_since_centre")
        centre = access.centre_named(name, Operation.FIGURES)
        years, decisions, _ = access.stored_years(centre["id"], args.since)
        latest = None
        if analysis is not None:
            latest = figures(analysis, lang)
            found = with_current(years, decisions, analysis.workbook.centre.year, analysis.graph, latest)
        else:
            found = evolution(years, decisions)
        if args.json:
            result = dict(latest or {"centre": centre["name"]})
            result["evolution"] = evolution_json(found, CODES, DEFINITIONS)
            print(json.dumps(result, ensure_ascii=False, indent=2))
            return EXIT_OK
        if analysis is not None:
            print(text_report(analysis, lang))
            print()
        for line in _evolution_lines(found, lang):
            print(line)
        return EXIT_OK
    finally:
        store.dispose()


def _evolution_lines(found, lang: str) -> list[str]:
    """The renewal of each year, as sentences."""
    from valuechain.media import formatting as fmt
    from valuechain.chain.metrics import Undefined

    def share(value) -> str:
        return fmt.DASH if isinstance(value, Undefined) else fmt.percent(value, lang)

    lines = [say(UI, "since_years", lang, years=", ".join(str(y) for y in found.years))]
    for renewal in found.renewals:
        lines.append(say(UI, "since_renewal", lang, year=renewal.year, previous=renewal.previous_year,
                         new=share(renewal.new_share), lost=share(renewal.lost_share),
                         new_hours=share(renewal.new_hours_share), lost_hours=share(renewal.lost_hours_share),
                         kept=len(renewal.kept)))
    return lines


def _report(workbook, lang: str, as_json: bool) -> int:
    from valuechain.chain.analysis import analyse
    from valuechain.media.report import figures, text_report

    analysis = analyse(workbook, compute_all=True)
    if as_json:
        print(json.dumps(figures(analysis, lang), ensure_ascii=False, indent=2))
    else:
        print(text_report(analysis, lang))
    return EXIT_OK


# Control characters from cells (an escape sequence in a name could recolour or rewrite the
# user's terminal) are printed as their escapes; line ends, tabs and the progress bar's \r stay.
_TERMINAL_ESCAPES = {code: f"\\x{code:02x}" for code in (*range(0, 9), 11, 12, *range(14, 32), 127, *range(128, 160))}


class _TerminalSafe:
    """A text stream that writes control characters as escapes."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(text.translate(_TERMINAL_ESCAPES))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def run() -> int:
    """The command line as a program: safe output, and quiet ends (Ctrl+C, `| head`)."""
    sys.stdout, sys.stderr = _TerminalSafe(sys.stdout), _TerminalSafe(sys.stderr)
    try:
        return main()
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`report … | head`): nothing more to say, and nothing to say it to.
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # the process's standard output
        return 0

