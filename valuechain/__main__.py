"""The command line, over the same functions as the dashboard.

    python -m valuechain template OUT.xlsx [--lang fr|en]
    python -m valuechain check FILE... [--lang fr|en]
    python -m valuechain report FILE... [--lang fr|en] [--json]
    python -m valuechain export FILE... --to OUT [--lang fr|en]   (format from OUT's name)
    python -m valuechain import PATH... [--federation NAME]       (files, folders, zips → the store)
    python -m valuechain compare PATH... [--json] [--anonymise]
    python -m valuechain versions [--centre NAME] [--year YEAR] [--delete ID] [--json]

``check`` exits 0 when there is no error, 1 when there are errors, 2 when the file cannot be
read; no command prints a traceback to a user.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import load_paths
from .messages import UI, lang_or_default, say
from .model import StoreTooNew, UnreadableWorkbook
from .reading import ReadLimits

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    from .report import contract_keys  # the JSON keys, from the figures registry

    parser = argparse.ArgumentParser(prog="python -m valuechain",
                                     description="Chaîne de valeur d'un centre social / a social centre's value chain")
    commands = parser.add_subparsers(dest="command", required=True)
    template = commands.add_parser("template", help="écrire le modèle vierge / write the blank template")
    template.add_argument("out")
    check = commands.add_parser("check", help="vérifier un classeur / check a workbook")
    check.add_argument("files", nargs="+")
    report = commands.add_parser("report", help="résumé des chiffres / summary of the figures",
                                 epilog="--json: " + ", ".join(contract_keys()) + ", …")
    report.add_argument("files", nargs="+")
    report.add_argument("--json", action="store_true", help="un objet JSON / one JSON object")
    export = commands.add_parser("export", help="exporter (pdf, xlsx, html, png, gexf, graphml, json, .kumu.xlsx, .cvn.csv)")
    export.add_argument("files", nargs="+")
    export.add_argument("--to", required=True, dest="out")
    importing = commands.add_parser("import", help="garder des classeurs dans la base / keep workbooks in the store")
    importing.add_argument("paths", nargs="+")
    importing.add_argument("--federation", help="étiquette du lot / tag for the batch")
    importing.add_argument("--again", action="store_true",
                           help="réimporter un fichier déjà gardé / import a file already kept again")
    compare = commands.add_parser("compare", help="comparer des centres / compare centres")
    compare.add_argument("paths", nargs="+")
    compare.add_argument("--json", action="store_true")
    compare.add_argument("--anonymise", action="store_true")
    versions = commands.add_parser("versions", help="versions gardées dans la base / versions in the store")
    versions.add_argument("--centre")
    versions.add_argument("--year", type=int)
    versions.add_argument("--delete", type=int, metavar="ID")
    versions.add_argument("--json", action="store_true")
    versions.add_argument("--recompute", action="store_true",
                          help="recalculer les chiffres gardés avec les définitions d'aujourd'hui / "
                               "compute stored figures again with today's definitions")
    for sub in (template, check, report, export, importing, compare, versions):
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
        if args.command == "import":
            return _import(args.paths, args.federation, lang, args.again)
        if args.command == "compare":
            return _compare(args.paths, lang, args.json, args.anonymise)
        if args.command == "versions":
            if args.recompute:
                return _recompute(lang)
            return _versions(args.centre, args.year, args.delete, args.json, lang)
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
        from .incidents import incident

        reference = incident(error, "python -m valuechain " + " ".join(argv if argv is not None else sys.argv[1:]))
        print(UnreadableWorkbook("internal_error", detail=reference).message(lang), file=sys.stderr)
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
    from .template import build_template
    from .writing import workbook_bytes

    return _write(out, workbook_bytes(build_template(lang)), lang, "template_written")


def _export(workbook, out: str, lang: str, source: str) -> int:
    from .analysis import analyse
    from .exporting import EXPORTERS, export, exporter_for

    suffix = exporter_for(out)
    if suffix is None:
        print(say(UI, "export_unknown", lang, path=out, formats=", ".join(sorted(EXPORTERS))), file=sys.stderr)
        return EXIT_UNREADABLE
    return _write(out, export(analyse(workbook), suffix, lang, Path(source).name), lang, "export_written")


def _import(paths: list[str], federation: str | None, lang: str, again: bool = False) -> int:
    from tqdm import tqdm

    from .batch import collect, import_groups
    from .store import Store

    store = Store()
    groups = collect(paths)
    results = import_groups(store, groups, federation, lang, again=again,
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
        else:
            print(say(UI, "import_failed", lang, file=result.file_name, message=result.message))
    done = sum(1 for r in results if r.version is not None and not r.already)
    failed = sum(1 for r in results if r.version is None)
    print(say(UI, "import_summary", lang, done=done, failed=failed, url=store.url.split("@")[-1]))
    store.dispose()
    return EXIT_OK if failed == 0 else EXIT_ERRORS


def _recompute(lang: str) -> int:
    from tqdm import tqdm

    from .store import Store

    store = Store()
    stale = store.stale()
    with tqdm(total=len(stale), unit="version", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
        count = store.recompute(progress=lambda _: bar.update())
    print(say(UI, "recomputed", lang, count=count))
    store.dispose()
    return EXIT_OK


def _versions(centre: str | None, year: int | None, delete: int | None, as_json: bool, lang: str) -> int:
    from .store import Store

    store = Store()
    if delete is not None:
        if not any(v.id == delete for v in store.versions()):
            print(say(UI, "version_unknown", lang, id=delete), file=sys.stderr)
            return EXIT_ERRORS
        store.delete(delete)
        print(say(UI, "version_deleted", lang, id=delete))
        return EXIT_OK
    found = store.versions(centre=centre, year=year)
    if as_json:
        print(json.dumps([dict(v.__dict__, imported_at=v.imported_at.isoformat()) for v in found],
                         ensure_ascii=False, indent=2))
    else:
        for v in found:
            print(f"{v.id:>6}  {v.centre}  {v.year or '—'}  v{v.number}  {v.imported_at:%Y-%m-%d %H:%M}  "
                  f"{v.file_name}  {v.federation or ''}  ({v.errors} / {v.warnings})")
    store.dispose()
    return EXIT_OK


def _compare(paths: list[str], lang: str, as_json: bool, anonymise: bool) -> int:
    from .analysis import analyse
    from .batch import collect
    from .compare import anonymised_reports, comparison_frame, with_changes
    from .report import figures
    from . import load_files

    reports = []
    for group in collect(paths):
        try:
            workbook = load_files(group)
        except UnreadableWorkbook as unreadable:
            print(unreadable.message(lang), file=sys.stderr)
            continue
        reports.append(figures(analyse(workbook, compute_all=True), lang))
    reports = with_changes(reports)  # a centre given for two years: each figure's change
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


def _report(workbook, lang: str, as_json: bool) -> int:
    from .analysis import analyse
    from .report import figures, text_report

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


if __name__ == "__main__":
    sys.exit(run())
