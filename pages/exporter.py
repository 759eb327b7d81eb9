"""Exporter: every take-away format, written only when its button is clicked."""

import streamlit as st

from dashboard import state
from dashboard.shown import current_files
from dashboard.visitor import access, auth_configured
from dashboard.widgets import download_button, page_header
from dashboard.words import access_problem, lang, say
from valuechain.access.service import Access
from valuechain.errors import Refused
from valuechain.media.exporters import export, file_name, mime_type, report_with_years

analysis = page_header("page_export")
database = access()
# The dashboard shows a stored version when one was opened: its exports are this visitor's to
# make only if they may export that version (asked again here, and traced in the audit log).
opened = st.session_state.get(state.OPENED_VERSION)
if not database.may_export(opened):
    st.error(access_problem(Refused("unknown_version")))
    st.stop()
st.write(say("app", "export_intro"))
source = current_files()[0].name

GROUPS = {
    "export_documents": [("export_pdf", ".pdf"), ("export_xlsx", ".xlsx"), ("export_cvn", ".cvn.csv")],
    "export_images": [
        ("export_html", ".html"),
        ("export_map_png", ".png"),
        ("export_chain_png", ".chain.png"),
        ("export_domains_png", ".domains.png"),
        ("export_contributions_png", ".contributions.png"),
    ],
    "export_files": [
        ("export_gexf", ".gexf"),
        ("export_graphml", ".graphml"),
        ("export_json", ".json"),
        ("export_kumu", ".kumu.xlsx"),
    ],
}
columns = st.columns(len(GROUPS))
for column, (title, items) in zip(columns, GROUPS.items()):
    with column:
        st.subheader(say("app", title))
        for label, suffix in items:
            # Made when clicked (not at every rerun), for whoever may still have it then.
            download_button(
                say("app", label),
                lambda database, suffix=suffix, language=lang(): export(analysis, suffix, language, source),
                file_name=file_name(analysis, suffix, lang()),
                mime=mime_type(suffix),
                what=suffix,
                version_id=opened,
                key=f"export{suffix}",
            )

# The report with the centre's years, when the store keeps earlier years of the centre shown
# (and this visitor may follow it): its stored years, this workbook as the newest.
followed = database.years_with(analysis.name, analysis.workbook.centre.year)
if followed is not None:
    centre_id, years = followed

    def _with_years(database: Access, language: str = lang(), centre_id: int = centre_id) -> bytes:
        stored, decisions, _ = database.stored_years(centre_id)
        return report_with_years(analysis, language, source, stored, decisions)

    download_button(
        say("evolution", "pdf_button", first=years[0], last=years[-1]),
        _with_years,
        file_name=file_name(analysis, "-evolution.pdf", lang()),
        mime="application/pdf",
        what=".pdf (évolution)",
        version_id=opened,
        key="export_pdf_years",
    )

if auth_configured():
    # On a federation's server: what this visitor may take from the store, and only that.
    st.subheader(say("access", "export_store"))
    mine = database.originals()
    if not mine:
        st.caption(say("access", "export_no_original"))
    for version in mine[:50]:
        columns = st.columns([5, 2])
        columns[0].write(
            say(
                "access",
                "export_original_line",
                centre=version.centre,
                year=version.year or "—",
                number=version.number,
                file=version.file_name,
            )
        )
        download_button(
            say("access", "export_original"),
            lambda database, version_id=version.id: database.original_file(version_id)[1],
            file_name=version.file_name,
            column=columns[1],
            key=f"original{version.id}",
        )
    if len(mine) > 50:
        st.caption(say("access", "export_more", count=len(mine) - 50))
    years = database.years()
    if years:
        from valuechain.media.comparison import comparison_file_name, comparison_workbook

        download_button(
            say("access", "export_comparison", year=years[-1]),
            lambda database, language=lang(), year=years[-1]: comparison_workbook(
                database.comparison_file(year=year, lang=language), language
            ),
            file_name=comparison_file_name(years[-1], lang()),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
