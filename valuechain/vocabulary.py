"""The project's words, in one place: categories, natures, domains, units, tables and columns.

Every other module (reader, validation, metrics, charts, exports, pages) takes its codes and
its terms' labels from here, so that a label is never typed twice. Codes are the identifiers
the code uses; labels are what users read, in the catalogue (a context per vocabulary, keyed by
the term's code: a third language labels the terms in its ``.po`` file). Matching of what users type follows
``shared/workbook-format.md``: case, accents, ``_``/``-``/spaces and a trailing part in
parentheses are ignored.
"""

from __future__ import annotations

import re
import unicodedata
from contextlib import suppress
from dataclasses import dataclass, field
from functools import lru_cache

from valuechain.words.messages import in_every_language, say

# SMIC horaire brut 2026, the default value of one volunteer hour (workbook-format.md).
DEFAULT_VOLUNTEER_HOURLY_RATE = 12.02
HOURS_PER_DAY = 7.0


@lru_cache(maxsize=65536)
def normalise_key(text: object) -> str:
    """The form under which headers, sheet names and labels are compared.

    >>> normalise_key("  Valeur (€) ")
    'valeur'
    >>> normalise_key("Taux_horaire-Bénévolat")
    'taux horaire benevolat'
    """
    if text is None:
        return ""
    value = str(text).strip().lower()
    decomposed = unicodedata.normalize("NFKD", value)
    value = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    value = value.replace("œ", "oe").replace("æ", "ae")
    # A trailing unit or comment in parentheses: "Valeur (€)", "Centre social (le centre lui-même)".
    value = re.sub(r"\s*\([^()]*\)\s*$", "", value)
    value = re.sub(r"[\s_\-\u00a0\u202f]+", " ", value)
    return value.strip()


def normalise_reference(text: object) -> str:
    """How actors and activities are matched in ``Flux`` and ``porteur``: trimmed, inner spaces
    collapsed, case ignored (accents matter: "Élan" and "Elan" may be two associations)."""
    if text is None:
        return ""
    if isinstance(text, str):
        return _normalised_text(text)
    return " ".join(str(text).split()).casefold()


@lru_cache(maxsize=65536)
def _normalised_text(text: str) -> str:
    # 20,000 flows name the same 2,000 actors over and over: each name is normalised once.
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Term:
    """One entry of a closed list: its code and the other spellings a reader accepts. Its
    labels are the catalogue's, keyed by its code: under the vocabulary's name (context
    ``category``, ``nature``…), and a shorter one for charts and dropdowns under
    ``<name>_short`` where the label is long. A third language's labels are its ``.po`` file's."""

    vocabulary: str
    code: str
    synonyms: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return say(self.vocabulary, self.code, lang)

    def short(self, lang: str) -> str:
        try:
            return say(f"{self.vocabulary}_short", self.code, lang)
        except KeyError:  # a label short enough as it is
            return self.label(lang)

    def labels(self) -> tuple[str, ...]:
        """Its labels and short labels in every language of the catalogue."""
        said = in_every_language(self.vocabulary, self.code)
        with suppress(KeyError):
            said += in_every_language(f"{self.vocabulary}_short", self.code)
        return said


@dataclass(frozen=True)
class Vocabulary:
    """A closed list of terms with lookup by any spelling: its code, its labels in every
    language, its synonyms."""

    name: str
    terms: tuple[Term, ...]
    _index: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    _labels: set[str] = field(default_factory=set, compare=False, repr=False)

    @classmethod
    def of(cls, name: str, synonyms: dict[str, tuple[str, ...]]) -> Vocabulary:
        """The vocabulary ``name``: its terms' codes in order, each with its other spellings."""
        return cls(name, tuple(Term(name, code, spellings) for code, spellings in synonyms.items()))

    def __post_init__(self) -> None:
        for term in self.terms:
            labels = (term.code, *term.labels())
            for spelling in (*labels, *term.synonyms):
                if spelling:
                    self._index.setdefault(normalise_key(spelling), term.code)
            self._labels.update(normalise_key(s) for s in labels if s)

    def is_synonym(self, text: object) -> bool:
        """True for a text that the list does not hold but the reader maps to one of its terms
        ("Subvention" for "Monétaire"): welcome, and said once to the user."""
        key = normalise_key(text)
        return key in self._index and key not in self._labels

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(term.code for term in self.terms)

    def match(self, text: object) -> str | None:
        """The code a user's text stands for, or None when it is not recognised."""
        return self._index.get(normalise_key(text))

    def term(self, code: str) -> Term:
        for term in self.terms:
            if term.code == code:
                return term
        raise KeyError(code)

    def label(self, code: str | None, lang: str) -> str:
        if code is None:
            return ""
        return self.term(code).label(lang)

    def short(self, code: str | None, lang: str) -> str:
        if code is None:
            return ""
        return self.term(code).short(lang)


CATEGORIES = Vocabulary.of(
    "category",
    {
        "centre": ("centre social", "le centre", "espace de vie sociale", "evs", "social centre"),
        "habitants": ("habitant", "familles", "usagers", "inhabitant", "residents", "families"),
        "benevoles": ("benevole", "volunteer"),
        "salaries": ("salarie", "equipe", "employees", "employee"),
        "producteurs": ("producteur", "producteur local", "producers", "producer", "local producer"),
        "associations": ("association", "association partenaire", "partner association", "partners"),
        "institutions": ("institution", "institution publique", "public institution", "collectivite"),
        "entreprises": ("entreprise", "business", "companies"),
        "financeurs": ("financeur", "financeur prive", "private funder", "fondation", "mecene"),
        "autre": ("autres", "others"),
    },
)

NATURES = Vocabulary.of(
    "nature",
    {
        "monetaire": ("monétaire", "argent", "financement", "subvention", "monetary", "funding"),
        "benevolat": ("bénévolat", "volunteering", "volunteer"),
        "nature": ("en nature", "don en nature", "dons en nature", "dons", "in kind", "in-kind", "goods"),
        "lieu": ("locaux", "local", "materiel", "premises", "equipment"),
        "service": ("services", "service rendu"),
        "competences": ("competence", "savoir faire", "formation", "skills"),
        "information": ("mise en relation", "informations"),
        "reconnaissance": ("confiance", "legitimite", "recognition", "trust"),
        "autre": ("autres", "others"),
    },
)

# Natures whose flows are tangible unless the `tangible` column says otherwise.
TANGIBLE_NATURES = frozenset({"monetaire", "benevolat", "nature", "lieu", "service"})

DOMAINS = Vocabulary.of(
    "domain",
    {
        "individuel": ("individuelle", "individual"),
        "politique": ("civique", "citoyenne", "political", "civic"),
        "environnemental": ("environnement", "environment", "environnementale"),
        "economique_territorial": (
            "economique",
            "territorial",
            "territoriale",
            "economique territoriale",
            "economic",
            "economic territorial",
        ),
        "societal": ("societale", "social", "lien social"),
    },
)
# The longest an outcome of the Effets sheet may last (years): beyond a working life a proxy
# means nothing, and a duration of 10¹² years kept the server computing its present value.
MAX_OUTCOME_YEARS = 50
# The bucket of value whose flow names no domain (docs/indicateurs.md, "Répartition par domaine").
UNSPECIFIED_DOMAIN = "non_renseigne"


def domain_label(code: str, lang: str) -> str:
    """A domain's short name, or "Non renseigné" for the value of flows that name none."""
    if code == UNSPECIFIED_DOMAIN:
        return say("vocabulary", "unspecified_domain", lang)
    return DOMAINS.short(code, lang)


ACTIVITY_TYPES = Vocabulary.of(
    "activity_type",
    {
        "principale": ("principal", "main", "coeur"),
        "support": ("soutien", "supporting"),
    },
)

FUNCTIONS = Vocabulary.of(
    "function",
    {
        "gouvernance": (),
        "ressources_humaines": ("rh", "hr"),
        "communication": (),
        "recherche_de_fonds": ("collecte de fonds", "financement"),
        "logistique": (),
        "autre": (),
    },
)

CENTRE_TYPES = Vocabulary.of(
    "centre_type",
    {
        "centre_social": ("cs",),
        "evs": ("evs",),
        "autre": (),
    },
)

# How an outcome of the Effets sheet is known (social_value): its evidence grade.
EVIDENCE = Vocabulary.of(
    "evidence",
    {
        "mesure": ("mesuree", "mesurée", "measured", "mesure"),
        "declare": ("declaree", "déclarée", "self reported", "reported", "declare"),
        "estime": ("estimee", "estimée", "assumed", "estimated", "estime", "suppose"),
    },
)
DEFAULT_EVIDENCE = "estime"
# A flow's data source (Flux's ``source_donnee``) read as an evidence grade: what accounts or a
# reading gives is measured, an estimation is assumed, anything else (blank, "le trésorier") is
# what the centre declares. The map fades estimated flows; ``metrics.evidence_range`` moves each
# flow's value by its grade's margin.
_MEASURED_SOURCES = (
    "compta",
    "releve",
    "factur",
    "bilan",
    "compte de resultat",
    "mesur",
    "account",
    "invoice",
    "reading",
    "measur",
)
_ESTIMATED_SOURCES = ("estim", "suppos", "assum", "approx")


@lru_cache(maxsize=4096)
def flow_evidence(data_source: str | None) -> str:
    """The evidence grade (``EVIDENCE`` code) of a flow from its data source."""
    key = normalise_key(data_source)
    if not key:
        return "declare"
    if key.startswith(_MEASURED_SOURCES):
        return "mesure"
    if key.startswith(_ESTIMATED_SOURCES):
        return "estime"
    return EVIDENCE.match(data_source) or "declare"


# The discount rate of the SROI guide and the UK Green Book.
DEFAULT_DISCOUNT_RATE = 0.035

YES = frozenset({"oui", "o", "yes", "y", "vrai", "true", "1", "x"})
NO = frozenset({"non", "n", "no", "faux", "false", "0"})


# Units ---------------------------------------------------------------------------------------
UNIT_EUR = "€"
UNIT_HOURS = "h"
UNIT_DAYS = "jours"
UNIT_PEOPLE = "personnes"

_UNIT_SPELLINGS = {
    UNIT_EUR: ("€", "eur", "euro", "euros"),
    UNIT_HOURS: ("h", "heure", "heures", "hour", "hours", "hr", "hrs"),
    UNIT_DAYS: ("j", "jour", "jours", "journee", "journees", "day", "days"),
    UNIT_PEOPLE: ("personne", "personnes", "pers", "participants", "people", "persons", "person"),
    "kg": ("kg", "kgs", "kilo", "kilos", "kilogramme", "kilogrammes"),
    "t": ("t", "tonne", "tonnes"),
    "repas": ("repas", "meal", "meals"),
    "m²": ("m²", "m2"),
}
_UNIT_INDEX = {normalise_key(s): code for code, spellings in _UNIT_SPELLINGS.items() for s in spellings}


def canonical_unit(text: object) -> str | None:
    """The unit's canonical spelling (``€``, ``h``, ``jours``, ``personnes``, ``kg``…), or the
    text as typed (trimmed) when the unit is not one the program recognises."""
    if text is None:
        return None
    typed = str(text).strip()
    if not typed:
        return None
    return _UNIT_INDEX.get(normalise_key(typed), typed)


def unit_label(unit: str | None, lang: str) -> str:
    """A unit in the user's words ("jours" → "days"); a unit the catalogue does not name, as typed."""
    if not unit:
        return ""
    try:
        return say("unit", unit, lang)
    except KeyError:
        return unit


# Tables and columns ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """A column of a table: the code the program uses, its French header, its English alias."""

    code: str
    fr: str
    en: str
    required: bool = False
    synonyms: tuple[str, ...] = ()
    help_fr: str = ""
    help_en: str = ""

    def header(self, lang: str) -> str:
        return self.en if lang == "en" else self.fr

    def help(self, lang: str) -> str:
        return self.help_en if lang == "en" else self.help_fr


@dataclass(frozen=True)
class Table:
    code: str
    fr: str
    en: str
    columns: tuple[Column, ...]
    synonyms: tuple[str, ...] = ()

    def sheet_name(self, lang: str) -> str:
        return self.en if lang == "en" else self.fr

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    def column(self, code: str) -> Column:
        for column in self.columns:
            if column.code == code:
                return column
        raise KeyError(code)

    def match_column(self, header: object) -> str | None:
        key = normalise_key(header)
        if not key:
            return None
        for column in self.columns:
            if key in _column_keys(column):
                return column.code
        return None

    def name_is_synonym(self, name: object) -> bool:
        """A sheet name the format does not give but the reader takes for this table
        ("Échanges" for Flux): said once to the user."""
        key = normalise_key(name)
        return key in {normalise_key(s) for s in self.synonyms} - {
            normalise_key(s) for s in (self.code, self.fr, self.en)
        }

    def column_is_synonym(self, header: object) -> bool:
        """Likewise for a column header ("montant" for valeur)."""
        key = normalise_key(header)
        code = self.match_column(header)
        if code is None:
            return False
        column = self.column(code)
        return key not in {normalise_key(s) for s in (column.code, column.fr, column.en)}

    def matches_name(self, name: object) -> bool:
        key = normalise_key(name)
        return key in {normalise_key(s) for s in (self.code, self.fr, self.en, *self.synonyms)}

    def name_suffix_match(self, stem: object) -> bool:
        """A CSV file's normalised stem equals or ends with one of the table's names."""
        key = normalise_key(stem)
        return any(
            key == name or key.endswith(" " + name)
            for name in {normalise_key(s) for s in (self.fr, self.en, *self.synonyms)}
        )


@lru_cache(maxsize=None)
def _column_keys(column: Column) -> frozenset[str]:
    return frozenset(normalise_key(s) for s in (column.code, column.fr, column.en, *column.synonyms))


CENTRE_FIELDS = (
    Column("name", "nom", "name", help_fr="Nom du centre social", help_en="Name of the centre"),
    Column("town", "commune", "town", help_fr="Commune", help_en="Town"),
    Column(
        "department",
        "departement",
        "department",
        help_fr="Code du département, par ex. 26",
        help_en="Département code, e.g. 26",
    ),
    Column(
        "federation",
        "federation",
        "federation",
        help_fr="Fédération à laquelle le centre adhère",
        help_en="Federation it belongs to",
    ),
    Column("year", "annee", "year", help_fr="Année décrite par les chiffres", help_en="Year the figures describe"),
    Column(
        "type",
        "type",
        "type",
        help_fr="centre social, espace de vie sociale ou autre",
        help_en="social centre, community space or other",
    ),
    Column(
        "volunteer_hourly_rate",
        "taux_horaire_benevolat",
        "volunteer_hourly_rate",
        synonyms=("taux horaire", "taux benevolat", "hourly rate"),
        help_fr="Valeur d'une heure de bénévolat en € (par défaut 12,02 : SMIC horaire brut 2026)",
        help_en="Value of one volunteer hour in € (default 12.02: 2026 gross minimum wage)",
    ),
    Column(
        "rate_low",
        "taux_horaire_bas",
        "low_hourly_rate",
        synonyms=("taux bas",),
        help_fr="Facultatif : taux horaire bas pour la sensibilité des chiffres (par défaut le taux × 0,75)",
        help_en="Optional: a low hourly rate for the figures' sensitivity (default the rate × 0.75)",
    ),
    Column(
        "rate_high",
        "taux_horaire_haut",
        "high_hourly_rate",
        synonyms=("taux haut",),
        help_fr="Facultatif : taux horaire haut pour la sensibilité des chiffres (par défaut le taux × 1,25)",
        help_en="Optional: a high hourly rate for the figures' sensitivity (default the rate × 1.25)",
    ),
    Column(
        "territory",
        "territoire",
        "territory",
        help_fr="Quartier, QPV, rural…",
        help_en="Neighbourhood, priority area, rural…",
    ),
    Column(
        "population",
        "habitants_territoire",
        "territory_population",
        synonyms=("population", "habitants du territoire", "population du territoire"),
        help_fr="Facultatif : nombre d'habitants du territoire du centre (pour les chiffres par habitant)",
        help_en="Optional: how many people live in the centre's territory (for figures per inhabitant)",
    ),
    Column(
        "discount_rate",
        "taux_actualisation",
        "discount_rate",
        synonyms=("taux d'actualisation",),
        help_fr="Facultatif, pour la valeur sociale (feuille Effets) : taux d'actualisation, par défaut 3,5 %",
        help_en="Optional, for the social value (Outcomes sheet): discount rate, default 3.5%",
    ),
)

CENTRE = Table(
    "centre",
    "Centre",
    "Centre",
    (Column("field", "champ", "field", required=True), Column("value", "valeur", "value")),
    synonyms=("centre social", "le centre", "center"),
)

ACTORS = Table(
    "actors",
    "Acteurs",
    "Actors",
    (
        Column(
            "id",
            "id",
            "id",
            synonyms=("identifiant",),
            help_fr="Identifiant court, unique (par défaut : le nom)",
            help_en="Short unique identifier (default: the name)",
        ),
        Column(
            "name",
            "nom",
            "name",
            required=True,
            synonyms=("acteur", "actor"),
            help_fr="Nom de l'acteur, unique",
            help_en="Name of the actor, unique",
        ),
        Column(
            "category",
            "categorie",
            "category",
            required=True,
            synonyms=("type d'acteur",),
            help_fr="Catégorie : choisir dans la liste",
            help_en="Category: pick from the list",
        ),
        Column("town", "commune", "town", synonyms=("ville", "city"), help_fr="Commune", help_en="Town"),
        Column(
            "local",
            "local",
            "local",
            synonyms=("locale",),
            help_fr="Acteur du territoire ? oui / non (vide = inconnu)",
            help_en="Part of the territory? yes / no (blank = unknown)",
        ),
        Column(
            "count",
            "nombre",
            "count",
            synonyms=("effectif", "nb"),
            help_fr="Combien de personnes la ligne représente (ex. 110 habitants bénévoles)",
            help_en="How many people the row stands for (e.g. 110 volunteer inhabitants)",
        ),
        Column("description", "description", "description"),
        Column(
            "tags",
            "tags",
            "tags",
            synonyms=("etiquettes", "mots cles"),
            help_fr="Étiquettes séparées par | ou ;",
            help_en="Tags separated by | or ;",
        ),
    ),
    synonyms=("acteur", "actor", "parties prenantes", "stakeholders"),
)

ACTIVITIES = Table(
    "activities",
    "Activites",
    "Activities",
    (
        Column(
            "id",
            "id",
            "id",
            synonyms=("identifiant",),
            help_fr="Identifiant court, unique (par défaut : le nom)",
            help_en="Short unique identifier (default: the name)",
        ),
        Column(
            "name",
            "nom",
            "name",
            required=True,
            synonyms=("activite", "activity"),
            help_fr="Nom de l'activité, unique",
            help_en="Name of the activity, unique",
        ),
        Column(
            "type",
            "type",
            "type",
            help_fr="principale ou support (par défaut : principale)",
            help_en="primary or support (default: primary)",
        ),
        Column(
            "function",
            "fonction",
            "function",
            help_fr="Pour une activité support : gouvernance, ressources humaines, "
            "communication, recherche de fonds, logistique, autre",
            help_en="For a support activity: governance, human resources, communication, fundraising, logistics, other",
        ),
        Column(
            "lead",
            "porteur",
            "lead",
            synonyms=("porte par", "led by"),
            help_fr="Acteur qui porte l'activité (par défaut : le centre)",
            help_en="Actor that runs it (default: the centre)",
        ),
        Column(
            "domains",
            "domaines",
            "domains",
            synonyms=("domaine", "domain", "domaines d'impact"),
            help_fr="Domaines d'impact séparés par | ou ;",
            help_en="Impact domains separated by | or ;",
        ),
        Column("description", "description", "description"),
    ),
    synonyms=("activite", "activity", "actions"),
)

FLOWS = Table(
    "flows",
    "Flux",
    "Flows",
    (
        Column(
            "source",
            "source",
            "source",
            required=True,
            synonyms=("de", "from", "origine"),
            help_fr="Qui donne : nom ou id d'un acteur ou d'une activité",
            help_en="Who gives: an actor's or activity's name or id",
        ),
        Column(
            "target",
            "cible",
            "target",
            required=True,
            synonyms=("vers", "to", "destination"),
            help_fr="Qui reçoit : nom ou id d'un acteur ou d'une activité",
            help_en="Who receives: an actor's or activity's name or id",
        ),
        Column(
            "nature",
            "nature",
            "kind",
            required=True,
            synonyms=("type de flux", "type"),
            help_fr="Nature de l'échange : choisir dans la liste",
            help_en="Kind of exchange: pick from the list",
        ),
        Column(
            "quantity",
            "quantite",
            "quantity",
            synonyms=("qte", "qty", "volume"),
            help_fr="Quantité sur l'année, ≥ 0 (ex. 1 234,5)",
            help_en="Quantity over the year, ≥ 0 (e.g. 1,234.5)",
        ),
        Column(
            "unit",
            "unite",
            "unit",
            help_fr="€, h, jours, kg, personnes, repas…",
            help_en="€, h, days, kg, people, meals…",
        ),
        Column(
            "value",
            "valeur",
            "value_eur",
            synonyms=("value", "valeur eur", "valeur euros", "montant", "amount"),
            help_fr="Valeur monétaire en € si connue",
            help_en="Monetary value in € if known",
        ),
        Column(
            "activity",
            "activite",
            "activity",
            help_fr="Activité concernée, quand aucune des deux extrémités n'en est une",
            help_en="Activity concerned, when neither end is one",
        ),
        Column(
            "domains",
            "domaines",
            "domains",
            synonyms=("domaine", "domain"),
            help_fr="Domaines d'impact (par défaut : ceux de l'activité)",
            help_en="Impact domains (default: the activity's)",
        ),
        Column(
            "tangible",
            "tangible",
            "tangible",
            synonyms=("materiel",),
            help_fr="oui / non (par défaut selon la nature)",
            help_en="yes / no (default from the kind)",
        ),
        Column(
            "data_source",
            "source_donnee",
            "data_source",
            synonyms=("source de la donnee", "origine donnee"),
            help_fr="comptabilité, relevé, estimation…",
            help_en="accounts, records, estimate…",
        ),
        Column(
            "year",
            "annee",
            "year",
            help_fr="Année (par défaut : celle du centre)",
            help_en="Year (default: the centre's)",
        ),
        Column("description", "description", "description"),
    ),
    synonyms=("flux", "flow", "echanges", "exchanges"),
)

INDICATORS = Table(
    "indicators",
    "Indicateurs",
    "Indicators",
    (
        Column(
            "domain",
            "domaine",
            "domain",
            required=True,
            synonyms=("domaines",),
            help_fr="Domaine d'impact : choisir dans la liste",
            help_en="Impact domain: pick from the list",
        ),
        Column(
            "indicator",
            "indicateur",
            "indicator",
            required=True,
            help_fr="Ce qui est mesuré",
            help_en="What is measured",
        ),
        Column("value", "valeur", "value", help_fr="Nombre", help_en="Number"),
        Column("unit", "unite", "unit"),
        Column("activity", "activite", "activity"),
        Column("actor", "acteur", "actor"),
        Column("source", "source", "source"),
        Column("comment", "commentaire", "comment"),
    ),
    synonyms=("indicateur", "indicator"),
)

_PERCENT_HELP = ("Pourcentage : 20 %, 0,2 ou 20", "Percentage: 20%, 0.2 or 20")
OUTCOMES = Table(
    "outcomes",
    "Effets",
    "Outcomes",
    (
        Column(
            "stakeholder",
            "partie_prenante",
            "stakeholder",
            required=True,
            synonyms=("partie prenante", "parties prenantes", "beneficiaires", "qui"),
            help_fr="Qui vit le changement : un acteur ou une catégorie",
            help_en="Who experiences the change: an actor or a category",
        ),
        Column(
            "outcome",
            "effet",
            "outcome",
            required=True,
            synonyms=("changement", "change", "effets"),
            help_fr="Le changement, dans les mots des personnes",
            help_en="The change, in the stakeholders' words",
        ),
        Column(
            "activity",
            "activite",
            "activity",
            help_fr="L'activité qui le produit",
            help_en="The activity that produces it",
        ),
        Column(
            "domain",
            "domaine",
            "domain",
            help_fr="Domaine d'impact : choisir dans la liste",
            help_en="Impact domain: pick from the list",
        ),
        Column(
            "indicator",
            "indicateur",
            "indicator",
            help_fr="Comment le changement s'observe",
            help_en="How the change is observed",
        ),
        Column(
            "quantity",
            "quantite",
            "quantity",
            synonyms=("nombre", "effectif"),
            help_fr="Combien de personnes (ou d'unités) le vivent",
            help_en="How many stakeholders (or units) experience it",
        ),
        Column(
            "proxy",
            "proxy",
            "proxy",
            synonyms=("indicateur financier", "financial proxy"),
            help_fr="L'équivalent financier retenu",
            help_en="The financial proxy",
        ),
        Column(
            "proxy_value",
            "valeur_proxy",
            "proxy_value",
            synonyms=("valeur proxy", "proxy value"),
            help_fr="€ par unité et par an",
            help_en="€ per unit and per year",
        ),
        Column(
            "proxy_source",
            "source_proxy",
            "proxy_source",
            synonyms=("source proxy", "source"),
            help_fr="D'où vient la valeur du proxy",
            help_en="Where the proxy's value comes from",
        ),
        Column(
            "duration",
            "duree",
            "duration",
            synonyms=("durée", "annees", "years"),
            help_fr="Années pendant lesquelles l'effet dure (par défaut 1)",
            help_en="Years the outcome lasts (default 1)",
        ),
        Column(
            "deadweight",
            "poids_mort",
            "deadweight",
            synonyms=("poids mort",),
            help_fr="Part qui serait arrivée de toute façon. " + _PERCENT_HELP[0],
            help_en="Share that would have happened anyway. " + _PERCENT_HELP[1],
        ),
        Column(
            "displacement",
            "deplacement",
            "displacement",
            synonyms=("déplacement",),
            help_fr="Part qui a déplacé un autre effet. " + _PERCENT_HELP[0],
            help_en="Share that displaced another outcome. " + _PERCENT_HELP[1],
        ),
        Column(
            "attribution",
            "attribution",
            "attribution",
            help_fr="Part due à d'autres. " + _PERCENT_HELP[0],
            help_en="Share due to others. " + _PERCENT_HELP[1],
        ),
        Column(
            "drop_off",
            "diminution",
            "drop_off",
            synonyms=("drop off", "dropoff", "baisse"),
            help_fr="Baisse par an après la première année. " + _PERCENT_HELP[0],
            help_en="Yearly decline after the first year. " + _PERCENT_HELP[1],
        ),
        Column(
            "evidence",
            "confiance",
            "evidence",
            synonyms=("preuve", "niveau de preuve", "grade"),
            help_fr="mesuré, déclaré ou estimé (par défaut estimé)",
            help_en="measured, self-reported or assumed (default assumed)",
        ),
        Column("comment", "commentaire", "comment"),
    ),
    # Not "valeur sociale": the name of the results workbook's own sheet (RESULT_SHEETS).
    synonyms=("effet", "outcome"),
)

TABLES = (CENTRE, ACTORS, ACTIVITIES, FLOWS, INDICATORS, OUTCOMES)
TABLES_BY_CODE = {table.code: table for table in TABLES}
# Record tables (one row per record), in the order a reader fills them in.
RECORD_TABLES = (ACTORS, ACTIVITIES, FLOWS, INDICATORS, OUTCOMES)


# The sheets of results our export writes beside the data (media.results.results_workbook),
# named in the catalogue (context result_sheet). The reader skips them: read back, the data
# sheets are the workbook, the results are recomputed.
RESULT_SHEETS = (
    "figures",
    "contributions",
    "categories",
    "domains",
    "activities",
    "in_kind",
    "not_valued",
    "problems",
    "costs",
    "social_value",
)


def result_sheet_names() -> frozenset[str]:
    """The names of the results' sheets in every language, as the reader recognises them."""
    return frozenset(name for code in RESULT_SHEETS for name in in_every_language("result_sheet", code))


def table_for_sheet_name(name: object) -> Table | None:
    for table in TABLES:
        if table.matches_name(name):
            return table
    return None


def match_centre_field(text: object) -> str | None:
    key = normalise_key(text)
    for column in CENTRE_FIELDS:
        if key in _column_keys(column):
            return column.code
    return None


def is_skipped_sheet(name: str) -> bool:
    """Sheets the user keeps for themselves: ``_listes``, ``Notes (ignore)``."""
    return name.startswith("_") or "(ignore)" in name.lower()


# The template's example rows carry the catalogue's vocabulary/example_marker ("Exemple (à
# remplacer)") in their description (or comment), which reads as one of these: the reader
# recognises them and says so, so that nobody reports the template's figures by mistake.
EXAMPLE_MARKERS = frozenset({"exemple", "example"})


def split_list(text: object) -> list[str]:
    """Tags and domains are separated by ``|`` or ``;``."""
    if text is None:
        return []
    return [part.strip() for part in re.split(r"[|;]", str(text)) if part.strip()]
