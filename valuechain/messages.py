"""Every sentence the program says to a user, in French and English, keyed by a code.

Problems, unreadable-file messages, figure names and the words of the report and CLI come
from here, so that the same thing has the same name on every page, report and export.
"""

from __future__ import annotations

from .vocabulary import DEFAULT_LANGUAGE

SEVERITY_LABELS = {
    "error": {"fr": "erreur", "en": "error"},
    "warning": {"fr": "avertissement", "en": "warning"},
}

# Problems found in a row or a sheet. Placeholders are filled from Problem.params.
PROBLEMS: dict[str, dict[str, str]] = {
    "required_missing": {
        "fr": "La colonne « {column} » est obligatoire et vide. Remplissez-la ou supprimez la ligne.",
        "en": "Column “{column}” is required and empty. Fill it in or delete the row.",
    },
    "number_invalid": {
        "fr": "« {value} » n'est pas un nombre. Écrivez un nombre, par ex. 1 234,5.",
        "en": "“{value}” is not a number. Write a number, e.g. 1,234.5.",
    },
    "number_negative": {
        "fr": "« {value} » est négatif. Les quantités et valeurs sont positives : inversez source et cible si le flux va dans l'autre sens.",
        "en": "“{value}” is negative. Quantities and values are positive: swap source and target if the flow goes the other way.",
    },
    "label_unknown": {
        "fr": "« {value} » n'est pas une {kind} connue : classé en « Autre » (texte d'origine conservé). Choisissez une valeur de la liste : {choices}.",
        "en": "“{value}” is not a known {kind}: filed as “Other” (original text kept). Pick a value from the list: {choices}.",
    },
    "domain_unknown": {
        "fr": "Domaine d'impact « {value} » inconnu, ignoré. Domaines possibles : {choices}.",
        "en": "Unknown impact domain “{value}”, ignored. Possible domains: {choices}.",
    },
    "activity_type_unknown": {
        "fr": "Type d'activité « {value} » inconnu : pris comme « principale ». Écrivez principale ou support.",
        "en": "Unknown activity type “{value}”: taken as “primary”. Write primary or support.",
    },
    "function_unknown": {
        "fr": "Fonction « {value} » inconnue : classée en « autre ». Fonctions possibles : {choices}.",
        "en": "Unknown function “{value}”: filed as “other”. Possible functions: {choices}.",
    },
    "yes_no_unknown": {
        "fr": "« {value} » n'est ni oui ni non : laissé inconnu. Écrivez oui ou non.",
        "en": "“{value}” is neither yes nor no: left unknown. Write yes or no.",
    },
    "duplicate_name": {
        "fr": "« {value} » est déjà le nom {other} (ligne {first_row}). Donnez un nom distinct ou fusionnez les deux lignes.",
        "en": "“{value}” is already the name of {other} (row {first_row}). Give a distinct name or merge the two rows.",
    },
    "duplicate_id": {
        "fr": "L'identifiant « {value} » est déjà pris (ligne {first_row}). Choisissez un identifiant unique.",
        "en": "Id “{value}” is already taken (row {first_row}). Choose a unique id.",
    },
    "activity_clashes_actor": {
        "fr": "L'activité « {value} » porte le nom ou l'identifiant d'un acteur (feuille {actor_sheet}, ligne {actor_row}). Renommez l'une des deux.",
        "en": "Activity “{value}” has the name or id of an actor (sheet {actor_sheet}, row {actor_row}). Rename one of them.",
    },
    "second_centre": {
        "fr": "Un seul acteur peut être le centre : « {first} » l'est déjà (ligne {first_row}). Changez la catégorie de l'un des deux.",
        "en": "Only one actor can be the centre: “{first}” already is (row {first_row}). Change the category of one of them.",
    },
    "actor_created": {
        "fr": "« {value} » n'est pas dans la feuille Acteurs : ajouté comme acteur de catégorie « Autre ». Ajoutez-le à la feuille Acteurs avec sa catégorie.",
        "en": "“{value}” is not in the Actors sheet: added as an actor of category “Other”. Add it to the Actors sheet with its category.",
    },
    "activity_created": {
        "fr": "L'activité « {value} » n'est pas dans la feuille Activites : ajoutée comme activité principale portée par le centre. Ajoutez-la à la feuille Activites.",
        "en": "Activity “{value}” is not in the Activities sheet: added as a primary activity led by the centre. Add it to the Activities sheet.",
    },
    "self_flow": {
        "fr": "La source et la cible sont identiques (« {value} »). Un flux relie deux acteurs ou activités différents.",
        "en": "Source and target are the same (“{value}”). A flow links two different actors or activities.",
    },
    "unit_conflict": {
        "fr": "La quantité est écrite en « {typed} » mais la colonne unité dit « {unit} » : l'unité de la colonne est retenue.",
        "en": "The quantity is written in “{typed}” but the unit column says “{unit}”: the unit column wins.",
    },
    "other_year": {
        "fr": "Ce flux est de l'année {value}, le centre décrit {year} : il est compté quand même. Vérifiez l'année.",
        "en": "This flow is from {value}, the centre describes {year}: it counts all the same. Check the year.",
    },
    "year_invalid": {
        "fr": "« {value} » n'est pas une année : ignorée. Écrivez une année, par ex. 2025.",
        "en": "“{value}” is not a year: ignored. Write a year, e.g. 2025.",
    },
    "long_text": {
        "fr": "Texte de {length} caractères, plus qu'Excel ne peut en garder (32 767) : conservé en entier ici, raccourci à l'export Excel.",
        "en": "Text of {length} characters, more than Excel can hold (32,767): kept whole here, shortened in an Excel export.",
    },
    "example_row": {
        "fr": "Cette ligne est l'exemple du modèle : remplacez-la par vos données ou supprimez-la.",
        "en": "This row is the template's example: replace it with your data or delete it.",
    },
    "title_rows_skipped": {
        "fr": "{count} ligne(s) au-dessus des en-têtes ignorée(s) (titre). Les en-têtes sont lus à la ligne {header_row}.",
        "en": "{count} row(s) above the headers skipped (title). Headers are read on row {header_row}.",
    },
    "header_not_found": {
        "fr": "Aucune ligne d'en-têtes avec les colonnes {columns} dans les dix premières lignes : feuille ignorée. Ajoutez ces en-têtes.",
        "en": "No header row with the columns {columns} in the first ten rows: sheet ignored. Add these headers.",
    },
    "sheet_unknown": {
        "fr": "Feuille « {value} » non reconnue : ignorée. Les feuilles attendues sont {choices} (préfixez le nom par _ pour la garder sans avertissement).",
        "en": "Sheet “{value}” not recognised: ignored. Expected sheets are {choices} (prefix the name with _ to keep it without a warning).",
    },
    "csv_field_count": {
        "fr": "Cette ligne a {found} champs au lieu de {expected} (séparateur « {separator} ») : mise de côté. Vérifiez les guillemets et les séparateurs.",
        "en": "This line has {found} fields instead of {expected} (separator “{separator}”): kept aside. Check quotes and separators.",
    },
    "csv_name_headers_disagree": {
        "fr": "Le nom du fichier évoque la table {by_name} mais ses en-têtes sont ceux de {by_headers} : lu comme {by_headers}.",
        "en": "The file name suggests the {by_name} table but its headers are those of {by_headers}: read as {by_headers}.",
    },
    "table_merged": {
        "fr": "Une autre feuille ou un autre fichier contient déjà la table {table} : les lignes sont ajoutées à la suite.",
        "en": "Another sheet or file already holds the {table} table: the rows are added to it.",
    },
    "kumu_guess": {
        "fr": "Type Kumu « {value} » lu comme « {guess} » : vérifiez que c'est juste.",
        "en": "Kumu type “{value}” read as “{guess}”: check that it is right.",
    },
    "kumu_direction": {
        "fr": "Connexion Kumu « {value} » : lue comme un flux dans chaque sens (mutual) ou de From vers To (undirected).",
        "en": "Kumu connection “{value}”: read as a flow each way (mutual) or from From to To (undirected).",
    },
    "centre_year_missing": {
        "fr": "L'année n'est pas indiquée (feuille Centre, champ annee) : elle est nécessaire pour comparer les années.",
        "en": "The year is not given (Centre sheet, field year): it is needed to compare years.",
    },
    "centre_rate_invalid": {
        "fr": "Taux horaire du bénévolat « {value} » illisible : {default} €/h retenu.",
        "en": "Volunteer hourly rate “{value}” unreadable: {default} €/h used.",
    },
    "centre_type_unknown": {
        "fr": "Type de structure « {value} » inconnu : « centre social » retenu.",
        "en": "Unknown type of centre “{value}”: “social centre” used.",
    },
    "centre_name_differs": {
        "fr": "L'acteur centre s'appelle « {actor} » et la feuille Centre dit « {value} » : « {value} » est affiché.",
        "en": "The centre actor is called “{actor}” and the Centre sheet says “{value}”: “{value}” is shown.",
    },
    "centre_created": {
        "fr": "Aucun acteur de catégorie « Centre social » : le centre « {value} » a été ajouté. Ajoutez-le à la feuille Acteurs.",
        "en": "No actor of category “The centre”: the centre “{value}” was added. Add it to the Actors sheet.",
    },
    "centre_from_sheet": {
        "fr": "Aucun acteur de catégorie « Centre social » : « {value} », nommé dans la feuille Centre, est pris comme centre.",
        "en": "No actor of category “The centre”: “{value}”, named in the Centre sheet, is taken as the centre.",
    },
    "centre_inferred": {
        "fr": "Aucun centre indiqué : « {value} », relié au plus grand nombre d'acteurs, est pris comme centre. Corrigez si ce n'est pas le bon.",
        "en": "No centre given: “{value}”, linked to the most actors, is taken as the centre. Correct this if it is not the right one.",
    },
}

# Whole-file problems: one clear sentence, no stack trace.
UNREADABLE: dict[str, dict[str, str]] = {
    "file_empty": {
        "fr": "Le fichier « {name} » est vide.",
        "en": "The file “{name}” is empty.",
    },
    "not_spreadsheet": {
        "fr": "« {name} » n'est pas un classeur lisible (xlsx, xlsm, xls, ods ou csv attendu).",
        "en": "“{name}” is not a readable workbook (xlsx, xlsm, xls, ods or csv expected).",
    },
    "password_protected": {
        "fr": "« {name} » est protégé par un mot de passe. Enregistrez-le sans mot de passe puis réessayez.",
        "en": "“{name}” is password-protected. Save it without a password and try again.",
    },
    "no_flows_table": {
        "fr": "Aucune table de flux trouvée dans « {name} » : il faut une feuille « Flux » avec les colonnes source, cible et nature.",
        "en": "No flows table found in “{name}”: a “Flows” sheet with the columns source, target and kind is needed.",
    },
    "file_too_large": {
        "fr": "« {name} » pèse {size} Mo, au-delà de la limite de {limit} Mo.",
        "en": "“{name}” is {size} MB, over the {limit} MB limit.",
    },
    "too_many_rows": {
        "fr": "La feuille « {sheet} » de « {name} » a plus de {limit} lignes, la limite fixée.",
        "en": "Sheet “{sheet}” of “{name}” has more than {limit} rows, the set limit.",
    },
    "csv_not_recognised": {
        "fr": "Impossible de reconnaître la table de « {name} » : ni son nom ni ses en-têtes ne correspondent à Centre, Acteurs, Activites, Flux ou Indicateurs.",
        "en": "Cannot tell which table “{name}” holds: neither its name nor its headers match Centre, Actors, Activities, Flows or Indicators.",
    },
    "no_file": {
        "fr": "Aucun fichier fourni.",
        "en": "No file given.",
    },
    "internal_error": {
        "fr": "Le fichier n'a pas pu être lu à cause d'une erreur du programme ({detail}). Merci de la signaler avec le fichier.",
        "en": "The file could not be read because of a fault in the program ({detail}). Please report it with the file.",
    },
    "file_not_found": {
        "fr": "Fichier introuvable : « {name} ».",
        "en": "File not found: “{name}”.",
    },
}

KIND_LABELS = {
    "category": {"fr": "catégorie", "en": "category"},
    "nature": {"fr": "nature", "en": "kind"},
    "actor": {"fr": "acteur", "en": "actor"},
    "activity": {"fr": "activité", "en": "activity"},
    "other_actor": {"fr": "d'un autre acteur", "en": "another actor"},
    "other_activity": {"fr": "d'une autre activité", "en": "another activity"},
}

# The contribution figures of shared/metrics.md: the one name each has everywhere.
FIGURES: dict[str, dict[str, str]] = {
    "resources_total": {
        "fr": "Ressources mobilisées", "en": "Resources mobilised",
        "def_fr": "Somme des valeurs des flux de ressources reçus par le centre et ses activités.",
        "def_en": "Sum of the values of the resource flows received by the centre and its activities.",
    },
    "contributions": {
        "fr": "Contribution d'un acteur", "en": "Actor's contribution",
        "def_fr": "Valeur des flux de ressources d'un acteur, et sa part des ressources mobilisées.",
        "def_en": "Value of an actor's resource flows, and its share of resources mobilised.",
    },
    "public_funding": {
        "fr": "Financements publics", "en": "Public funding",
        "def_fr": "Flux monétaires reçus des institutions publiques.",
        "def_en": "Money received from public institutions.",
    },
    "leverage": {
        "fr": "Effet levier", "en": "Leverage",
        "def_fr": "Euros d'autres ressources mobilisés pour un euro de financement public : (R − P) / P.",
        "def_en": "Euros of other resources mobilised per euro of public funding: (R − P) / P.",
    },
    "non_monetary_share": {
        "fr": "Part non monétaire", "en": "Non-monetary share",
        "def_fr": "Part des ressources mobilisées qui n'est pas de l'argent.",
        "def_en": "Share of resources mobilised that is not money.",
    },
    "volunteer_time": {
        "fr": "Bénévolat valorisé", "en": "Valued volunteer time",
        "def_fr": "Heures de bénévolat reçues et leur valeur au taux horaire du centre.",
        "def_en": "Volunteer hours received and their value at the centre's hourly rate.",
    },
    "local_share": {
        "fr": "Ancrage local", "en": "Local anchoring",
        "def_fr": "Part des ressources venant d'acteurs du territoire, parmi celles dont l'origine est connue.",
        "def_en": "Share of resources from local actors, among those whose locality is known.",
    },
    "local_coverage": {
        "fr": "Couverture de l'ancrage local", "en": "Local anchoring coverage",
        "def_fr": "Part des ressources dont on sait si l'acteur est local.",
        "def_en": "Share of resources whose actor's locality is known.",
    },
    "support_share": {
        "fr": "Part des activités support", "en": "Support share",
        "def_fr": "Part des ressources des activités qui va aux activités support (gouvernance, RH, communication…).",
        "def_en": "Share of the resources reaching activities that reaches support activities (governance, HR, communication…).",
    },
    "evenness": {
        "fr": "Équilibre des contributions", "en": "Contribution evenness",
        "def_fr": "De 0 (une seule catégorie d'acteurs apporte tout) à 1 (toutes apportent autant).",
        "def_en": "From 0 (one category of actors brings everything) to 1 (all bring the same).",
    },
    "value_by_domain": {
        "fr": "Répartition par domaine", "en": "Value by domain",
        "def_fr": "Ressources mobilisées réparties entre les domaines d'impact des flux.",
        "def_en": "Resources mobilised split among the flows' impact domains.",
    },
    "centre_betweenness": {
        "fr": "Centralité d'intermédiation du centre", "en": "Centre betweenness",
        "def_fr": "Part des plus courts chemins entre acteurs qui passent par le centre.",
        "def_en": "Share of shortest paths between actors that go through the centre.",
    },
    "centre_dependence": {
        "fr": "Dépendance au centre", "en": "Dependence on the centre",
        "def_fr": "Part des paires d'acteurs reliées qui ne le seraient plus sans le centre.",
        "def_en": "Share of connected pairs of actors that would no longer be connected without the centre.",
    },
    "reciprocity": {
        "fr": "Réciprocité", "en": "Reciprocity",
        "def_fr": "Part des contributeurs qui reçoivent aussi quelque chose du centre ou d'une activité.",
        "def_en": "Share of contributors that also receive something from the centre or an activity.",
    },
    "people_reached": {
        "fr": "Publics touchés", "en": "People reached",
        "def_fr": "Personnes habitantes touchées par le centre et ses activités.",
        "def_en": "Inhabitants reached by the centre and its activities.",
    },
    "intangible_share": {
        "fr": "Part immatérielle", "en": "Intangible share",
        "def_fr": "Part des flux qui sont immatériels (compétences, information, confiance…), en nombre.",
        "def_en": "Share of flows that are intangible (skills, information, trust…), by count.",
    },
    "volunteer_hours": {
        "fr": "Heures de bénévolat", "en": "Volunteer hours",
        "def_fr": "Heures (et jours × 7) des flux de bénévolat reçus.",
        "def_en": "Hours (and days × 7) of volunteer time received.",
    },
    "volunteer_value": {
        "fr": "Valeur du bénévolat", "en": "Value of volunteer time",
        "def_fr": "Valeur des flux de bénévolat reçus.",
        "def_en": "Value of the volunteer time received.",
    },
}

# Reasons a figure is undefined ("—").
UNDEFINED_REASONS: dict[str, dict[str, str]] = {
    "no_public_funding": {"fr": "pas de financement public", "en": "no public funding"},
    "no_resources": {"fr": "aucune ressource valorisée", "en": "no valued resource"},
    "no_activity_resources": {"fr": "aucune ressource valorisée n'atteint une activité",
                              "en": "no valued resource reaches an activity"},
    "no_known_locality": {"fr": "localité d'aucun contributeur connue",
                          "en": "no contributor's locality is known"},
    "too_few_actors": {"fr": "moins de trois acteurs", "en": "fewer than three actors"},
    "no_connected_pairs": {"fr": "aucune paire d'acteurs reliée hors centre",
                           "en": "no connected pair of actors besides the centre"},
    "no_contributors": {"fr": "aucun contributeur", "en": "no contributor"},
    "no_flows": {"fr": "aucun flux", "en": "no flow"},
}

# Words of the CLI and the text report.
UI: dict[str, dict[str, str]] = {
    "summary_ok": {"fr": "{name} : aucune erreur, {warnings} avertissement(s).",
                   "en": "{name}: no error, {warnings} warning(s)."},
    "summary_errors": {"fr": "{name} : {errors} erreur(s), {warnings} avertissement(s). Les lignes en erreur sont mises de côté.",
                       "en": "{name}: {errors} error(s), {warnings} warning(s). Rows in error are kept aside."},
    "counts": {"fr": "{actors} acteurs, {activities} activités, {flows} flux, {indicators} indicateurs.",
               "en": "{actors} actors, {activities} activities, {flows} flows, {indicators} indicators."},
    "sheet": {"fr": "feuille", "en": "sheet"},
    "row": {"fr": "ligne", "en": "row"},
    "column": {"fr": "colonne", "en": "column"},
    "value": {"fr": "valeur", "en": "value"},
    "undefined": {"fr": "—", "en": "—"},
    "export_written": {"fr": "Fichier écrit : {path}", "en": "File written: {path}"},
    "export_unknown": {"fr": "Format inconnu pour « {path} ». Terminaisons possibles : {formats}.",
                       "en": "Unknown format for “{path}”. Possible endings: {formats}."},
    "imported": {"fr": "importé : {file} → {centre} ({year}), version {number}, {errors} erreur(s)",
                 "en": "imported: {file} → {centre} ({year}), version {number}, {errors} error(s)"},
    "import_failed": {"fr": "non importé : {file} — {message}", "en": "not imported: {file} — {message}"},
    "import_summary": {"fr": "{done} classeur(s) importé(s), {failed} en échec. Base : {url}",
                       "en": "{done} workbook(s) imported, {failed} failed. Store: {url}"},
    "version_deleted": {"fr": "Version {id} supprimée.", "en": "Version {id} deleted."},
    "version_unknown": {"fr": "Aucune version {id} dans la base.", "en": "No version {id} in the store."},
    "template_written": {"fr": "Modèle écrit : {path}", "en": "Template written: {path}"},
    "report_title": {"fr": "Chaîne de valeur — {name}", "en": "Value chain — {name}"},
    "year": {"fr": "Année", "en": "Year"},
    "year_unknown": {"fr": "année non renseignée", "en": "year not given"},
    "problems": {"fr": "Problèmes", "en": "Problems"},
    "not_valued": {"fr": "Flux non valorisés", "en": "Flows not valued"},
    "per_activity": {"fr": "Par activité", "en": "By activity"},
    "contributors": {"fr": "Contributions par acteur", "en": "Contributions by actor"},
    "brokerage": {"fr": "Rôle de passeur du centre", "en": "The centre as a broker"},
    "neighbours": {"fr": "{count} partenaires directs, {pairs} paires d'acteurs reliées seulement par le centre",
                   "en": "{count} direct partners, {pairs} pairs of actors linked only through the centre"},
    "rate_used": {"fr": "Taux horaire du bénévolat : {rate}", "en": "Volunteer hourly rate: {rate}"},
}


def lang_or_default(lang: str | None) -> str:
    return lang if lang in ("fr", "en") else DEFAULT_LANGUAGE


def say(catalogue: dict[str, dict[str, str]], key: str, lang: str, **params: object) -> str:
    """The sentence for ``key`` in ``lang``, with its placeholders filled."""
    entry = catalogue[key]
    template = entry.get(lang_or_default(lang)) or entry[DEFAULT_LANGUAGE]
    return template.format(**params)


def figure_name(code: str, lang: str) -> str:
    return FIGURES[code][lang_or_default(lang)]


def figure_definition(code: str, lang: str) -> str:
    return FIGURES[code]["def_" + lang_or_default(lang)]


# Words of the dashboard. Page titles, labels and help texts: one place, French first.
APP: dict[str, dict[str, str]] = {
    "app_title": {"fr": "Chaîne de valeur du centre social", "en": "The social centre's value chain"},
    "page_home": {"fr": "Accueil / Données", "en": "Home / Data"},
    "page_map": {"fr": "Carte", "en": "Map"},
    "page_chain": {"fr": "Chaîne de valeur", "en": "Value chain"},
    "page_domains": {"fr": "Domaines d'impact", "en": "Impact domains"},
    "page_contributions": {"fr": "Contributions", "en": "Contributions"},
    "page_edit": {"fr": "Saisie / Édition", "en": "Data entry / Editing"},
    "page_compare": {"fr": "Comparer", "en": "Compare"},
    "page_export": {"fr": "Exporter", "en": "Export"},
    "export_intro": {"fr": "Les documents à remettre (CAF, commune, partenaires) et les fichiers pour d'autres outils. Tout fonctionne hors ligne.",
                     "en": "Documents to hand over (CAF, town council, partners) and files for other tools. Everything works offline."},
    "export_documents": {"fr": "Documents", "en": "Documents"},
    "export_images": {"fr": "Carte et graphiques", "en": "Map and charts"},
    "export_files": {"fr": "Fichiers pour d'autres outils", "en": "Files for other tools"},
    "export_pdf": {"fr": "Rapport imprimable (PDF)", "en": "Printable report (PDF)"},
    "export_xlsx": {"fr": "Classeur des résultats (.xlsx, avec graphiques)", "en": "Results workbook (.xlsx, with charts)"},
    "export_cvn": {"fr": "Contributions volontaires en nature, comptes 86/87 (.csv)", "en": "Contributions in kind, accounts 86/87 (.csv)"},
    "export_html": {"fr": "Carte interactive autonome (.html, hors ligne)", "en": "Standalone interactive map (.html, offline)"},
    "export_map_png": {"fr": "Carte (image PNG)", "en": "Map (PNG image)"},
    "export_chain_png": {"fr": "Chaîne de valeur (image PNG)", "en": "Value chain (PNG image)"},
    "export_domains_png": {"fr": "Domaines d'impact (image PNG)", "en": "Impact domains (PNG image)"},
    "export_contributions_png": {"fr": "Contributions (image PNG)", "en": "Contributions (PNG image)"},
    "export_gexf": {"fr": "Graphe GEXF (Gephi)", "en": "GEXF graph (Gephi)"},
    "export_graphml": {"fr": "Graphe GraphML", "en": "GraphML graph"},
    "export_json": {"fr": "Graphe JSON (node-link)", "en": "JSON graph (node-link)"},
    "export_kumu": {"fr": "Classeur pour Kumu (.xlsx)", "en": "Workbook for Kumu (.xlsx)"},
    "language": {"fr": "Langue", "en": "Language"},
    "presentation": {"fr": "Mode présentation", "en": "Presentation mode"},
    "presentation_help": {"fr": "Grands caractères, commandes masquées : pour projeter en atelier.",
                          "en": "Large type, controls hidden: for projecting in a workshop."},
    "leave_presentation": {"fr": "Quitter le mode présentation", "en": "Leave presentation mode"},
    "intro": {"fr": "Qui apporte quoi au centre et à ses activités, et ce qui revient au territoire : en euros, en heures, en kilos, en personnes et en confiance.",
              "en": "Who brings what to the centre and its activities, and what comes back to the territory: in euros, hours, kilograms, people and trust."},
    "source": {"fr": "Données", "en": "Data"},
    "source_sample": {"fr": "Un centre d'exemple (fictif)", "en": "A sample centre (fictional)"},
    "source_upload": {"fr": "Mon classeur", "en": "My workbook"},
    "sample": {"fr": "Centre d'exemple", "en": "Sample centre"},
    "upload": {"fr": "Déposez votre classeur (xlsx, xlsm, xls, ods) ou un ou plusieurs fichiers CSV",
               "en": "Drop your workbook (xlsx, xlsm, xls, ods) or one or several CSV files"},
    "template_fr": {"fr": "Télécharger le modèle vierge (français)", "en": "Download the blank template (French)"},
    "template_en": {"fr": "Télécharger le modèle vierge (anglais)", "en": "Download the blank template (English)"},
    "unreadable": {"fr": "Ce fichier n'a pas pu être lu : {message}", "en": "This file could not be read: {message}"},
    "showing_previous": {"fr": "Le centre affiché reste : {name}.", "en": "The centre shown is still: {name}."},
    "now_showing": {"fr": "Centre affiché : **{name}** ({year})", "en": "Centre shown: **{name}** ({year})"},
    "edited_note": {"fr": "Données modifiées dans la page Saisie (non enregistrées dans le fichier d'origine).",
                    "en": "Data edited on the Data entry page (not saved in the original file)."},
    "problems_title": {"fr": "Ce qu'il faut vérifier", "en": "What to check"},
    "no_problem": {"fr": "Aucun problème : le classeur est lu en entier.", "en": "No problem: the workbook is read in full."},
    "problems_summary": {"fr": "{errors} erreur(s) (lignes mises de côté, à corriger dans la page Saisie) et {warnings} avertissement(s) (lignes comptées).",
                         "en": "{errors} error(s) (rows kept aside, to fix on the Data entry page) and {warnings} warning(s) (rows counted)."},
    "only_errors": {"fr": "Erreurs seulement", "en": "Errors only"},
    "key_figures": {"fr": "Les chiffres clés", "en": "Key figures"},
    "counts": {"fr": "{actors} acteurs · {activities} activités · {flows} flux · {indicators} indicateurs",
               "en": "{actors} actors · {activities} activities · {flows} flows · {indicators} indicators"},
    "filters": {"fr": "Filtres", "en": "Filters"},
    "categories": {"fr": "Catégories d'acteurs", "en": "Actor categories"},
    "natures": {"fr": "Natures des flux", "en": "Kinds of flow"},
    "domains": {"fr": "Domaines d'impact", "en": "Impact domains"},
    "activities": {"fr": "Activités", "en": "Activities"},
    "tangible": {"fr": "Tangible", "en": "Tangible"},
    "all": {"fr": "Tous", "en": "All"},
    "tangible_only": {"fr": "Tangibles", "en": "Tangible"},
    "intangible_only": {"fr": "Immatériels", "en": "Intangible"},
    "min_value": {"fr": "Valeur minimale d'un flux (€)", "en": "Minimum value of a flow (€)"},
    "focus": {"fr": "Centrer sur un acteur ou une activité", "en": "Focus on an actor or activity"},
    "focus_none": {"fr": "(tout le réseau)", "en": "(the whole network)"},
    "step_mode": {"fr": "Pas à pas (atelier)", "en": "Step by step (workshop)"},
    "step": {"fr": "Étape", "en": "Step"},
    "step_caption": {"fr": "Étape {step} sur {total} : {shown}", "en": "Step {step} of {total}: {shown}"},
    "map_caption": {"fr": "{nodes} nœuds et {edges} flux affichés. Survolez un nœud ou un flux pour le détail ; molette pour zoomer.",
                    "en": "{nodes} nodes and {edges} flows shown. Hover a node or flow for details; scroll to zoom."},
    "download_map": {"fr": "Télécharger la carte (HTML hors ligne)", "en": "Download the map (offline HTML)"},
    "chain_measure": {"fr": "Mesurer en", "en": "Measure in"},
    "chain_by": {"fr": "Contributeurs", "en": "Contributors"},
    "by_actor": {"fr": "par acteur", "en": "by actor"},
    "by_category": {"fr": "par catégorie", "en": "by category"},
    "chain_help_eur": {"fr": "Contributeurs → activités → domaines d'impact, en euros. Les ressources données au centre sans activité précisée vont au « Fonctionnement du centre ».",
                       "en": "Contributors → activities → impact domains, in euros. Resources given to the centre with no activity named go to the “Centre's general running”."},
    "chain_help_unit": {"fr": "Contributeurs → activités → bénéficiaires, en {unit}.",
                        "en": "Contributors → activities → beneficiaries, in {unit}."},
    "radar_title": {"fr": "Poids de chaque domaine", "en": "Weight of each domain"},
    "indicators_table": {"fr": "Indicateurs par domaine", "en": "Indicators by domain"},
    "no_indicators": {"fr": "Aucun indicateur dans ce classeur (feuille Indicateurs).", "en": "No indicator in this workbook (Indicators sheet)."},
    "by_category_title": {"fr": "Par catégorie d'acteurs", "en": "By actor category"},
    "per_activity": {"fr": "Par activité", "en": "By activity"},
    "not_valued": {"fr": "Ce qui n'est pas valorisé en euros", "en": "What is not valued in euros"},
    "not_valued_help": {"fr": "Ces flux comptent dans le graphe et dans leur unité, pas dans les euros. Ajoutez une valeur (colonne valeur) si vous la connaissez.",
                        "en": "These flows count in the graph and in their own unit, not in euros. Add a value (value column) if you know it."},
    "all_valued": {"fr": "Tous les flux ont une valeur en euros.", "en": "Every flow has a value in euros."},
    "brokerage": {"fr": "Le centre relie {neighbours} partenaires directs ; {pairs} paires d'entre eux ne sont reliées que par lui.",
                  "en": "The centre links {neighbours} direct partners; {pairs} pairs of them are linked only through it."},
    "edit_intro": {"fr": "Modifiez les tableaux comme dans un tableur : ajoutez une ligne en bas, choisissez dans les listes. Toutes les pages suivent, et les problèmes sont vérifiés à chaque modification.",
                   "en": "Edit the tables as in a spreadsheet: add a row at the bottom, pick from the lists. Every page follows, and problems are checked at each change."},
    "edit_errors": {"fr": "Lignes à corriger dans cette table : {rows}", "en": "Rows to fix in this table: {rows}"},
    "download_workbook": {"fr": "Télécharger le classeur à jour (.xlsx)", "en": "Download the updated workbook (.xlsx)"},
    "reset_edits": {"fr": "Annuler mes modifications", "en": "Undo my edits"},
    "problem_column": {"fr": "à corriger", "en": "to fix"},
    "centre_fields": {"fr": "Le centre", "en": "The centre"},
    "rate": {"fr": "Taux horaire du bénévolat (€/h)", "en": "Volunteer hourly rate (€/h)"},
    "what_it_means": {"fr": "Ce que cela veut dire", "en": "What it means"},
    "undefined_help": {"fr": "« — » : chiffre impossible à calculer ici ({reason}).", "en": "“—”: cannot be computed here ({reason})."},
    "col_actor": {"fr": "Acteur", "en": "Actor"},
    "col_category": {"fr": "Catégorie", "en": "Category"},
    "col_value": {"fr": "Valeur (€)", "en": "Value (€)"},
    "col_number": {"fr": "Valeur", "en": "Value"},
    "col_share": {"fr": "Part", "en": "Share"},
    "col_activity": {"fr": "Activité", "en": "Activity"},
    "col_type": {"fr": "Type", "en": "Type"},
    "col_resources": {"fr": "Ressources (€)", "en": "Resources (€)"},
    "col_by_nature": {"fr": "Par nature", "en": "By kind"},
    "col_hours": {"fr": "Heures de bénévolat", "en": "Volunteer hours"},
    "col_in": {"fr": "Flux reçus", "en": "Flows in"},
    "col_out": {"fr": "Flux émis", "en": "Flows out"},
    "col_people": {"fr": "Habitants touchés", "en": "Inhabitants reached"},
    "col_source": {"fr": "De", "en": "From"},
    "col_target": {"fr": "Vers", "en": "To"},
    "col_nature": {"fr": "Nature", "en": "Kind"},
    "col_quantity": {"fr": "Quantité", "en": "Quantity"},
    "col_unit": {"fr": "Unité", "en": "Unit"},
    "col_resource": {"fr": "Ressource du centre", "en": "Resource of the centre"},
    "col_row": {"fr": "Ligne", "en": "Row"},
    "col_domain": {"fr": "Domaine", "en": "Domain"},
    "col_indicator": {"fr": "Indicateur", "en": "Indicator"},
    "col_flows": {"fr": "Flux", "en": "Flows"},
    "col_indicators": {"fr": "Indicateurs", "en": "Indicators"},
    "col_comment": {"fr": "Commentaire", "en": "Comment"},
}
