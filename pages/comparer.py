"""Comparer: centres and years side by side from the store, with data quality beside the figures."""

import streamlit as st

from dashboard import state
from dashboard.shown import SAMPLE_DIR, every_sample_path, show_version
from dashboard.visitor import access
from dashboard.widgets import (
    deleted_versions,
    download_button,
    local_time,
    on_a_phone,
    page_header,
    static_table,
)
from dashboard.words import access_problem, lang, say
from valuechain import InputFile
from valuechain.access.policy import Operation
from valuechain.chain.compare import centre_names, domain_series, year_and_before
from valuechain.chain.distribution import MIN_GROUP, centres_in_group
from valuechain.chain.evolution import trend, years_defined
from valuechain.chain.figures import COMPARED
from valuechain.errors import Refused
from valuechain.media import formatting as fmt
from valuechain.media.charts import domain_small_multiples, domains_radar, evolution_chart
from valuechain.media.comparison import (
    change_frame,
    column_definitions,
    comparison_file_name,
    comparison_frame,
    comparison_workbook,
    distribution_frame,
    social_frame,
)
from valuechain.store.batch import added, collect_uploads, import_groups
from valuechain.words.messages import figure_name

PAGE_SIZE = 50


# Anonymised, no header names a centre (not even the one the other pages show).
page_header(
    "page_compare", name_the_centre=not st.session_state.get(state.ANONYMISE, False), about_the_centre_shown=False
)
language = lang()  # the lists' words are written in the run's language, even after the run (AppTest)
# Every read and change below goes through the visitor's access (valuechain.access.service): the page
# never filters the store by itself.
database = access()


def samples_said(paths, results) -> list[tuple[str, str]]:
    """What adding the samples did, in sentences: the centres added (name and year), the files
    not added and why; the sample federation chosen below, so that its distribution shows."""
    added_now = [r.version for r in results if r.version is not None and not r.already and not r.message]
    said: list[tuple[str, str]] = []
    if added_now:
        centres = ", ".join(f"{version.centre} ({version.year})" for version in added_now)
        said.append(("success", say("comparer", "samples_added", count=len(added_now), centres=centres)))
    said += [("error", say("comparer", "failed", file=r.file_name, message=r.message)) for r in results if r.message]
    federation = next(
        (r.version.federation for path, r in zip(paths, results) if path.parent.name == "federation" and r.version),
        None,
    )
    if federation:
        st.session_state[state.COMPARER_FEDERATION] = federation
        said.append(("info", say("comparer", "samples_federation", federation=federation)))
    return said


def open_version(version_id: int | str) -> None:
    """Show a stored version in the whole dashboard, if this visitor may open it."""
    refused = show_version(version_id)
    if refused is None:
        st.success(say("comparer", "opened"))
    else:
        st.error(refused)


# A link to a version (?version=ID) opens it, for whoever may open it; anyone else is told no,
# and learns nothing of it.
if state.VERSION_PARAM in st.query_params:
    open_version(st.query_params[state.VERSION_PARAM])
    del st.query_params[state.VERSION_PARAM]

may_import = database.may_import()
store_empty = database.counts()[1] == 0
# The samples, and the six centres of the sample federation: enough of one federation and one
# year for its protected distribution to show (issue 34.10).
samples = [*every_sample_path(), *sorted((SAMPLE_DIR / "federation").glob("*.xlsx"))]
# Open while the store is empty, and after an import, so that what it did is read.
with (
    st.expander(say("comparer", "import"), expanded=store_empty or state.COMPARER_SAID in st.session_state)
    if may_import
    else st.container()
):
    if not may_import:
        st.caption(say("access", "compare_only"))
    elif database.user.owner:
        if store_empty:
            st.info(say("comparer", "empty"))
        # Offered while any sample is not in the store (the store may hold other centres).
        kept = {version.file_name for version in database.versions()}
        missing = [path for path in samples if path.name not in kept]
        if missing and st.button(say("comparer", "add_samples")):
            # The batch import's loop: a sample already there (a second click, another user's)
            # is not added twice.
            results = import_groups(
                database, [[InputFile.from_path(path)] for path in missing], batch="Exemples", lang=lang()
            )
            st.session_state[state.COMPARER_SAID] = samples_said(missing, results)
            st.rerun()
    if not may_import:
        pass
    elif database.user.owner:
        tag = st.text_input(say("comparer", "federation_tag"))
    else:
        # A person imports into the federation their role gives (an admin of several picks one).
        administered = database.user.federations(["admin"])
        tag = st.selectbox(say("comparer", "federation"), administered) if len(administered) > 1 else None
    # A new uploader after each import (its key changes): a second click adds nothing twice.
    uploads = st.session_state.get(state.COMPARER_UPLOADS, 0)
    files = (
        st.file_uploader(
            say("comparer", "import"),
            type=["xlsx", "xlsm", "xls", "ods", "csv", "zip"],
            accept_multiple_files=True,
            label_visibility="collapsed",
            key=f"comparer_upload_{uploads}",
        )
        if may_import
        else None
    )
    if files and st.button(say("comparer", "do_import")):
        # The batch import's own loop: zips opened within their limits, CSV grouped per centre,
        # one sentence per file that could not be imported, the others go on.
        groups = collect_uploads(InputFile(file.name, file.getvalue()) for file in files)
        results = import_groups(
            database, groups, batch=tag or None, lang=lang(), federation=None if database.user.owner else tag
        )
        said = []
        for result in results:
            if result.message:
                said.append(("error", say("comparer", "failed", file=result.file_name, message=result.message)))
            elif result.already and result.version is not None:
                said.append(
                    (
                        "info",
                        say(
                            "comparer",
                            "already",
                            file=result.file_name,
                            centre=result.version.centre,
                            number=result.version.number,
                        ),
                    )
                )
        said.append(("success", say("comparer", "imported", done=added(results))))
        st.session_state[state.COMPARER_SAID] = said
        st.session_state[state.COMPARER_UPLOADS] = uploads + 1
        st.rerun()
    for kind, text in st.session_state.pop(state.COMPARER_SAID, []):
        getattr(st, kind)(text)

years = database.years()
federations = database.federations()
if not years:
    st.stop()
row = st.columns(3)
every = say("comparer", "all")
if st.session_state.get(state.COMPARER_FEDERATION) not in [None, *federations]:
    st.session_state.pop(state.COMPARER_FEDERATION, None)  # a federation no longer there: all of them
federation = row[0].selectbox(
    say("comparer", "federation"),
    [None, *federations],
    format_func=lambda f: every if f is None else f,
    key=state.COMPARER_FEDERATION,
)
fullest = database.fullest_year()
year = row[1].selectbox(
    say("comparer", "year"), years[::-1], index=years[::-1].index(fullest) if fullest in years else 0
)
if year is None:  # Streamlit's type for a list box that may start empty; this one starts on a year
    st.stop()
anonymise = row[2].toggle(say("comparer", "anonymise"), key=state.ANONYMISE)

# Centres this visitor may not name come already as benchmarks (a letter, no town, no actor).
reports = database.comparison(year=year, federation=federation, lang=lang(), anonymise=anonymise)
withheld = database.letters_withheld(year=year, federation=federation, anonymise=anonymise)
if withheld:
    st.info(say("benchmark", "letters_withheld", count=withheld, minimum=MIN_GROUP))
st.subheader(say("comparer", "table"))
st.caption(say("comparer", "quality"))
if reports:
    pages = max(1, (len(reports) + PAGE_SIZE - 1) // PAGE_SIZE)
    page = st.number_input(say("comparer", "page"), 1, pages, 1) if pages > 1 else 1
    # Only the page shown is written as text (50 rows, not 2,300 at every rerun).
    shown_rows = slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
    # Each header's definition in its help; the centre's column stays in view when scrolling.
    frame = comparison_frame(reports, lang(), anonymise=anonymise, formatted=True, rows=shown_rows, social=False)
    helps = column_definitions(lang())
    columns = {name: st.column_config.Column(help=helps[name]) for name in frame.columns if name in helps}
    columns[frame.columns[0]] = st.column_config.Column(pinned=True)
    st.dataframe(frame, hide_index=True, width="stretch", column_config=columns)
    # Made when clicked, outside this script's run, of what the person may compare then: the
    # language and the choices are taken now.
    download_button(
        say("comparer", "download"),
        lambda database, language=lang(), year=year, federation=federation, anonymise=anonymise: comparison_workbook(
            database.comparison_file(year=year, federation=federation, lang=language, anonymise=anonymise),
            language,
            anonymise,
        ),
        file_name=comparison_file_name(year, lang()),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

# The social value apart, static: a ratio is never ranked or sorted across centres.
social = social_frame(reports, lang(), anonymise=anonymise)
if not social.empty:
    st.markdown(f"**{say('benchmark', 'social_title')}**")
    st.caption(say("benchmark", "social_help"))
    static_table(social.set_index(social.columns[0]))

# Where a centre stands in its federation: quartiles of five centres or more, no centre's row.
# A member sees its own federation's; the owner of a store of one federation sees it at once.
distributed = database.distributed(federation)
if not distributed and len(federations) > 1:
    st.caption(say("benchmark", "choose_federation"))
for shown_federation in distributed:
    try:
        found, own = database.distribution(year, shown_federation)
    except Refused:
        continue
    # Anonymised, the federation is not named either (as in the table: no federation column).
    if anonymise:
        st.subheader(say("benchmark", "title_anonymised", year=year))
    else:
        st.subheader(say("benchmark", "title", federation=shown_federation, year=year))
    st.caption(say("benchmark", "help", minimum=MIN_GROUP))
    # The other centres of the group (never the visitor's own: chain.distribution), with a value
    # or not: a figure some of them lack says so on its own row.
    counted = centres_in_group(found)
    if counted < MIN_GROUP:
        st.info(say("benchmark", "group_too_small", count=counted, year=year, minimum=MIN_GROUP))
    else:
        static_table(
            distribution_frame(found, lang(), with_own=own is not None).set_index(say("benchmark", "col_figure"))
        )

names = centre_names(reports)
chosen = st.multiselect(say("comparer", "chosen"), names, default=names[:6], max_selections=12) if names else []
if chosen:
    # On a phone, one panel a row: three side by side are too narrow to read.
    phone = on_a_phone()
    st.plotly_chart(
        domain_small_multiples(domain_series(reports, chosen), lang(), columns=1 if phone else 3), width="stretch"
    )
    st.plotly_chart(
        domains_radar(domain_series(reports, chosen[:8]), lang(), title=say("comparer", "radar"), narrow=phone),
        width="stretch",
    )

# A centre's years under its name: only the centres this visitor may follow (its own, its
# federation's for an admin), never a benchmark.
# Every deletion can be undone: the versions this visitor deleted or may restore, for 30 days.
# Anonymised, none: a deleted version is listed under its centre's name.
hidden = [] if anonymise else database.deleted()
if hidden:

    def restore(version) -> None:
        try:
            database.restore(version.id)
        except Refused as refused:
            st.error(access_problem(refused))
        else:
            st.rerun()

    with st.expander(say("access", "tab_deleted") + f" ({len(hidden)})"):
        deleted_versions(hidden, restore)

followed = centre_names(reports, followed=True)
st.subheader(say("comparer", "evolution"))
if not followed:
    st.caption(say("access", "no_evolution"))
    st.stop()
row = st.columns(2)
centre = row[0].selectbox(say("comparer", "centre"), followed)
code = row[1].selectbox(say("comparer", "figure"), COMPARED, format_func=lambda c: figure_name(c, language))
if centre and code:
    kept = database.history(centre)
    points = trend(kept, [code])[code]
    # A line needs two years: one point alone is no evolution (and its axis was all noise).
    if years_defined(points) >= 2:
        st.plotly_chart(evolution_chart({centre: points}, code, lang()), width="stretch")
    else:
        st.caption(say("comparer", "evolution_one_year"))
    # The year chosen above against the year before, figure by figure.
    shown, before = year_and_before(kept, year)
    st.markdown(f"**{say('comparer', 'change_title', previous=year - 1, year=year)}**")
    if shown is None or before is None:
        st.caption(say("comparer", "change_none", previous=year - 1, year=year))
    else:
        # A small static table: readable at once, printable, and every cell in the page's text.
        change = change_frame(shown, before, lang())
        static_table(change.set_index(change.columns[0]))
    versions = database.versions(centre=centre)
    if versions:
        st.markdown(f"**{say('comparer', 'versions')}**")
    for version in versions:
        columns = st.columns([5, 2, 2])
        columns[0].write(
            say(
                "comparer",
                "version",
                number=version.number,
                date=fmt.date_time(local_time(version.imported_at), language),
                file=version.file_name,
                errors=version.errors,
            )
            + f" — {version.year}"
        )
        if database.decide(Operation.OPEN, version.federation, version.centre_id).allowed and columns[1].button(
            say("comparer", "open"), key=f"open{version.id}"
        ):
            open_version(version.id)
        if database.decide(Operation.DELETE, version.federation, version.centre_id).allowed and columns[2].button(
            say("comparer", "delete"), key=f"delete{version.id}", help=say("access", "delete_help")
        ):
            try:
                database.delete(version.id)
            except Refused as refused:
                st.error(access_problem(refused))
            else:
                st.rerun()
