"""Exporter: every take-away format, written only when its button is clicked."""

import re

import streamlit as st

from pages.shared import current_files, lang, page_header, t
from valuechain.exporting import export, mime_type
from valuechain.incidents import incident

analysis = page_header("page_export")
st.write(t("export_intro"))
source = current_files()[0].name
stem = re.sub(r"[^\w\-]+", "-", analysis.name).strip("-") or "centre"

GROUPS = {
    "export_documents": [("export_pdf", ".pdf"), ("export_xlsx", ".xlsx"), ("export_cvn", ".cvn.csv")],
    "export_images": [("export_html", ".html"), ("export_map_png", ".png"), ("export_chain_png", ".chain.png"),
                      ("export_domains_png", ".domains.png"), ("export_contributions_png", ".contributions.png")],
    "export_files": [("export_gexf", ".gexf"), ("export_graphml", ".graphml"), ("export_json", ".json"),
                     ("export_kumu", ".kumu.xlsx")],
}
columns = st.columns(len(GROUPS))
def _made_on_click(suffix: str, language: str):
    """The file, made when the button is clicked (not at every rerun), outside this script's
    run: everything it needs is taken now. A failure is logged with its traceback, and the
    user reads one sentence under the button (``streamlit_words_css``)."""
    def make() -> bytes:
        try:
            return export(analysis, suffix, language, source)
        except Exception as error:
            incident(error, f"export {suffix} of {source}")
            raise

    return make


for column, (title, items) in zip(columns, GROUPS.items()):
    with column:
        st.subheader(t(title))
        for label, suffix in items:
            st.download_button(t(label), _made_on_click(suffix, lang()), file_name=f"{stem}-{lang()}{suffix}",
                               mime=mime_type(suffix), key=f"export{suffix}")
