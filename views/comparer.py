"""Comparer: centres and years side by side from the store, with data quality beside the figures."""

import streamlit as st

from views.shared import accept_files, lang, page_header, sample_paths, store
from valuechain import InputFile, UnreadableWorkbook
from valuechain.charts import domain_small_multiples, domains_radar, evolution_chart
from valuechain.compare import COMPARED, anonymous_names, comparison_frame, comparison_workbook
from valuechain.messages import figure_name

PAGE_SIZE = 50
WORDS = {
    "fr": {"empty": "La base ne contient encore aucun centre. Importez des classeurs ci-dessous, ou ajoutez les centres d'exemple.",
           "add_samples": "Ajouter les centres d'exemple", "import": "Importer des classeurs dans la base",
           "federation_tag": "Fédération (étiquette du lot)", "do_import": "Importer", "federation": "Fédération",
           "all": "Toutes", "year": "Année", "anonymise": "Anonymiser les centres (Centre A, B…)",
           "table": "Les chiffres, côte à côte (mêmes définitions pour tous)", "page": "Page",
           "chosen": "Centres à dessiner (12 au plus)", "radar": "Profils des domaines (superposés)",
           "evolution": "Évolution d'un centre", "centre": "Centre", "figure": "Chiffre",
           "versions": "Versions enregistrées de ce centre", "open": "Ouvrir cette version dans le tableau de bord",
           "delete": "Supprimer cette version", "download": "Télécharger la comparaison (.xlsx)",
           "imported": "{done} classeur(s) importé(s).", "failed": "Non importé : {file} — {message}",
           "quality": "Les colonnes de qualité (part estimée, couverture locale, problèmes) disent sur quelles données reposent les chiffres : ne comparez pas un chiffre sans elles.",
           "version": "Version {number} du {date} ({file}), {errors} erreur(s)", "opened": "Version ouverte : voyez les autres pages."},
    "en": {"empty": "The store holds no centre yet. Import workbooks below, or add the sample centres.",
           "add_samples": "Add the sample centres", "import": "Import workbooks into the store",
           "federation_tag": "Federation (batch tag)", "do_import": "Import", "federation": "Federation",
           "all": "All", "year": "Year", "anonymise": "Anonymise centres (Centre A, B…)",
           "table": "The figures side by side (same definitions for all)", "page": "Page",
           "chosen": "Centres to draw (12 at most)", "radar": "Domain profiles (overlaid)",
           "evolution": "One centre over the years", "centre": "Centre", "figure": "Figure",
           "versions": "Stored versions of this centre", "open": "Open this version in the dashboard",
           "delete": "Delete this version", "download": "Download the comparison (.xlsx)",
           "imported": "{done} workbook(s) imported.", "failed": "Not imported: {file} — {message}",
           "quality": "The quality columns (share estimated, locality coverage, problems) say what data the figures rest on: never compare a figure without them.",
           "version": "Version {number} of {date} ({file}), {errors} error(s)", "opened": "Version opened: see the other pages."},
}[lang()]


page_header("page_compare")
database = store()

with st.expander(WORDS["import"], expanded=database.counts()[1] == 0):
    if database.counts()[1] == 0:
        st.info(WORDS["empty"])
        if st.button(WORDS["add_samples"]):
            for path in sample_paths():
                database.import_files([InputFile.from_path(path)], batch="Exemples")
            st.rerun()
    tag = st.text_input(WORDS["federation_tag"])
    files = st.file_uploader(WORDS["import"], type=["xlsx", "xlsm", "xls", "ods"], accept_multiple_files=True,
                             label_visibility="collapsed")
    if files and st.button(WORDS["do_import"]):
        done = 0
        for file in files:
            try:
                database.import_files([InputFile(file.name, file.getvalue())], batch=tag or None)
                done += 1
            except UnreadableWorkbook as unreadable:
                st.error(WORDS["failed"].format(file=file.name, message=unreadable.message(lang())))
            except Exception as error:  # a fault of ours: one sentence, the other files go on
                message = UnreadableWorkbook("internal_error", detail=type(error).__name__).message(lang())
                st.error(WORDS["failed"].format(file=file.name, message=message))
        st.success(WORDS["imported"].format(done=done))

years = database.years()
federations = database.federations()
if not years:
    st.stop()
row = st.columns(3)
federation = row[0].selectbox(WORDS["federation"], [None] + federations,
                              format_func=lambda f, every=WORDS["all"]: every if f is None else f)
year = row[1].selectbox(WORDS["year"], years[::-1])
anonymise = row[2].toggle(WORDS["anonymise"])

versions = database.latest(year=year, federation=federation)
reports = database.figures([v.id for v in versions])
frame = comparison_frame(reports, lang(), anonymise=anonymise, formatted=True)
st.subheader(WORDS["table"])
st.caption(WORDS["quality"])
pages = max(1, (len(frame) + PAGE_SIZE - 1) // PAGE_SIZE)
page = st.number_input(WORDS["page"], 1, pages, 1) if pages > 1 else 1
st.dataframe(frame.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], hide_index=True, width="stretch")
st.download_button(WORDS["download"], lambda: comparison_workbook(reports, lang(), anonymise),
                   file_name=f"comparaison-{year}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

names = sorted({r["centre"] for r in reports}, key=str.casefold)
aliases = dict(zip(names, anonymous_names(len(names), lang()))) if anonymise else {n: n for n in names}
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
    points = [(r.get("year"), r.get(code)) for r in database.figures([v.id for v in history])]
    st.plotly_chart(evolution_chart({aliases[centre]: points}, code, lang()), width="stretch")
    if not anonymise:
        st.markdown(f"**{WORDS['versions']}**")
        for version in database.versions(centre=centre):
            columns = st.columns([5, 2, 2])
            columns[0].write(WORDS["version"].format(number=version.number, date=version.imported_at.strftime("%Y-%m-%d %H:%M"),
                                                     file=version.file_name, errors=version.errors) + f" — {version.year}")
            if columns[1].button(WORDS["open"], key=f"open{version.id}"):
                message = accept_files([(f.name, f.data) for f in database.original_files(version.id)])
                st.success(WORDS["opened"]) if message is None else st.error(message)
            if columns[2].button(WORDS["delete"], key=f"delete{version.id}"):
                database.delete(version.id)
                st.rerun()
