"""Comparer: centres and years side by side from the store, with data quality beside the figures."""

import streamlit as st

from pages import state
from pages.shared import accept_files, lang, page_header, plain, sample_paths, say_plain, store
from valuechain import InputFile, catalogue
from valuechain.batch import collect_uploads, import_groups
from valuechain.charts import domain_small_multiples, domains_radar, evolution_chart
from valuechain.compare import change_frame, comparison_frame, comparison_workbook, figure_value
from valuechain.figures import COMPARED
from valuechain.compare import aliases as centre_aliases
from valuechain.messages import figure_name, fill

PAGE_SIZE = 50
WORDS = catalogue.by_language("comparer")[lang()]


# Anonymised, no header names a centre (not even the one the other pages show).
page_header("page_compare", name_the_centre=not st.session_state.get(state.ANONYMISE, False))
database = store()

with st.expander(WORDS["import"], expanded=database.counts()[1] == 0):
    if database.counts()[1] == 0:
        st.info(WORDS["empty"])
        if st.button(WORDS["add_samples"]):
            # The batch import's loop: a sample already there (a second click, another user's)
            # is not added twice.
            import_groups(database, [[InputFile.from_path(path)] for path in sample_paths()], batch="Exemples",
                          lang=lang())
            st.rerun()
    tag = st.text_input(WORDS["federation_tag"])
    # A new uploader after each import (its key changes): a second click adds nothing twice.
    uploads = st.session_state.get(state.COMPARER_UPLOADS, 0)
    files = st.file_uploader(WORDS["import"], type=["xlsx", "xlsm", "xls", "ods", "csv", "zip"],
                             accept_multiple_files=True, label_visibility="collapsed", key=f"comparer_upload_{uploads}")
    if files and st.button(WORDS["do_import"]):
        # The batch import's own loop: zips opened within their limits, CSV grouped per centre,
        # one sentence per file that could not be imported, the others go on.
        groups = collect_uploads(InputFile(file.name, file.getvalue()) for file in files)
        results = import_groups(database, groups, batch=tag or None, lang=lang())
        said = []
        for result in results:
            if result.message:
                said.append(("error", say_plain(WORDS["failed"], file=result.file_name, message=result.message)))
            elif result.already:
                said.append(("info", say_plain(WORDS["already"], file=result.file_name, centre=result.version.centre,
                                               number=result.version.number)))
        said.append(("success", fill(WORDS["imported"], lang(), done=sum(1 for r in results if not r.message and not r.already))))
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
federation = row[0].selectbox(WORDS["federation"], [None] + federations,
                              format_func=lambda f, every=WORDS["all"]: every if f is None else f)
year = row[1].selectbox(WORDS["year"], years[::-1])
anonymise = row[2].toggle(WORDS["anonymise"], key=state.ANONYMISE)

versions = database.latest(year=year, federation=federation)
reports = database.figures([v.id for v in versions])
frame = comparison_frame(reports, lang(), anonymise=anonymise, formatted=True)
st.subheader(WORDS["table"])
st.caption(WORDS["quality"])
pages = max(1, (len(frame) + PAGE_SIZE - 1) // PAGE_SIZE)
page = st.number_input(WORDS["page"], 1, pages, 1) if pages > 1 else 1
st.dataframe(frame.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], hide_index=True, width="stretch")
# Made when clicked, outside this script's run: the language is taken now.
st.download_button(WORDS["download"], lambda language=lang(): comparison_workbook(reports, language, anonymise),
                   file_name=f"comparaison-{year}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

aliases = centre_aliases((r["centre"] for r in reports), lang(), anonymise)
names = sorted(aliases, key=lambda n: aliases[n].casefold())  # anonymised: in the order of the letters
chosen = st.multiselect(WORDS["chosen"], names, default=names[:6], max_selections=12,
                        format_func=lambda n, shown=aliases: shown[n])
if chosen:
    by_name = {r["centre"]: r["value_by_domain"] for r in reports}
    series = {aliases[n]: by_name[n] for n in chosen}
    st.plotly_chart(domain_small_multiples(series, lang()), width="stretch")
    st.plotly_chart(domains_radar(dict(list(series.items())[:8]), lang(), title=WORDS["radar"]), width="stretch")

st.subheader(WORDS["evolution"])
row = st.columns(2)
centre = row[0].selectbox(WORDS["centre"], names, format_func=lambda n, shown=aliases: shown[n]) if names else None
code = row[1].selectbox(WORDS["figure"], COMPARED, format_func=lambda c, language=lang(): figure_name(c, language))
if centre:
    history = database.latest(centre=centre)
    kept = database.figures([v.id for v in history])
    points = [(r.get("year"), figure_value(r, code)) for r in kept]
    st.plotly_chart(evolution_chart({aliases[centre]: points}, code, lang()), width="stretch")
    # The year chosen above against the year before, figure by figure.
    by_year = {r.get("year"): r for r in kept}
    shown, before = by_year.get(year), by_year.get(year - 1)
    st.markdown(f"**{fill(WORDS['change_title'], lang(), previous=year - 1, year=year)}**")
    if shown is None or before is None:
        st.caption(fill(WORDS["change_none"], lang(), previous=year - 1, year=year))
    else:
        # A small static table: readable at once, printable, and every cell in the page's text.
        change = change_frame(shown, before, lang())
        st.table(change.set_index(change.columns[0]))
    if not anonymise:
        st.markdown(f"**{WORDS['versions']}**")
        for version in database.versions(centre=centre):
            columns = st.columns([5, 2, 2])
            columns[0].write(say_plain(WORDS["version"], number=version.number, date=version.imported_at.strftime("%Y-%m-%d %H:%M"),
                                       file=version.file_name, errors=version.errors) + f" — {version.year}")
            if columns[1].button(WORDS["open"], key=f"open{version.id}"):
                message = accept_files([(f.name, f.data) for f in database.original_files(version.id)])
                st.success(WORDS["opened"]) if message is None else st.error(plain(message))
            if columns[2].button(WORDS["delete"], key=f"delete{version.id}"):
                database.delete(version.id)
                st.rerun()
