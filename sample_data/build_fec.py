"""Write the FECs of a fictional centre, the Centre social La Passerelle (Saint-Aubin), for its
2024 and 2025 fiscal years: sample_data/comptes/999999999FEC20241231.txt and
999999999FEC20251231.txt, as accounting software writes them (tab-separated, ISO-8859-15,
decimal commas, dates AAAAMMJJ). Deterministic: the same bytes at every run. The 2025 chain is
worked by hand in docs/comptes.md, and so is the funders' renewal from 2024 to 2025 (some
funders renewed with other amounts, the Région new in 2025, the CARSAT stopped).

    python sample_data/build_fec.py

Every name of a person here is invented; they stand for the people real accounts hold
(families, members, employees) and must never become actors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "comptes" / "999999999FEC20251231.txt"


def out(year: int) -> Path:
    return HERE / "comptes" / f"999999999FEC{year}1231.txt"


HEADER = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
JOURNALS = {"AN": "A nouveaux", "BQ": "Banque", "OD": "Opérations diverses", "SA": "Salaires", "AC": "Achats"}
# Invented people: families, members, donors, volunteers, employees.
FAMILIES = ("MARTIN", "BENALI", "NGUYEN", "LEROY", "DIALLO", "PETIT", "MOREAU", "HADDAD", "FAURE", "GARCIA")
FIRST_NAMES = ("Sophie", "Karim", "Linh", "Paul", "Aminata", "Julie", "Marc", "Nadia", "Luc", "Inès")
EMPLOYEES = ("DUPONT Jean", "ROUSSEL Claire", "TRAORE Moussa")


@dataclass(frozen=True)
class Year:
    """What changes from one fiscal year to the next, in cents (None: no such entry that year)."""

    opening: tuple[int, int]  # the bank's balance carried forward, of which the "report à nouveau"
    caf_quarter: int  # each of the CAF's four instalments (animation globale)
    caf_families: int  # the CAF's animation collective familles
    town_part: int  # each of the town's three payments
    department: int
    region: int | None  # the Région's project for the young: new in 2025
    fonjep: int
    anct: int
    foundation: int
    carsat: int | None  # the CARSAT's workshops for the elderly: stopped after 2024
    town_contest: int  # the town's concours publics (73)
    caf_alsh: int  # the CAF's prestation for the holiday centre (70)
    members: int  # members paying 10,00 €
    sponsor: int
    volunteering: tuple[int, str]  # cents, and how the label says it
    premises: int


YEARS = {
    2024: Year(
        opening=(3_980_000, 980_000),
        caf_quarter=1_650_000,
        caf_families=2_000_000,
        town_part=1_400_000,
        department=1_800_000,
        region=None,
        fonjep=732_000,
        anct=600_000,
        foundation=500_000,
        carsat=450_000,
        town_contest=300_000,
        caf_alsh=1_100_000,
        members=72,
        sponsor=120_000,
        volunteering=(2_097_000, "1 800 h à 11,65 €"),
        premises=960_000,
    ),
    2025: Year(
        opening=(4_215_000, 1_215_000),
        caf_quarter=1_700_000,
        caf_families=2_200_000,
        town_part=1_500_000,
        department=1_800_000,
        region=600_000,
        fonjep=740_000,
        anct=800_000,
        foundation=800_000,
        carsat=None,
        town_contest=350_000,
        caf_alsh=1_200_000,
        members=80,
        sponsor=150_000,
        volunteering=(2_404_000, "2 000 h à 12,02 €"),
        premises=960_000,
    ),
}


def amount(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d}"


class Book:
    def __init__(self, year: int = 2025) -> None:
        self.rows: list[tuple[str, ...]] = []
        self.number = 0
        self.year = year

    def entry(self, journal: str, day: str, piece: str, label: str, lines: list[tuple]) -> None:
        """One balanced entry: ``lines`` are (account, account label, aux num, aux label, debit, credit)."""
        self.number += 1
        assert sum(line[4] for line in lines) == sum(line[5] for line in lines), label
        for account, account_label, aux_num, aux_label, debit, credit in lines:
            self.rows.append(
                (
                    journal,
                    JOURNALS[journal],
                    f"{journal}{self.number:05d}",
                    day,
                    account,
                    account_label,
                    aux_num,
                    aux_label,
                    piece,
                    day,
                    label,
                    amount(debit),
                    amount(credit),
                    "",
                    "",
                    day,
                    "",
                    "",
                )
            )

    def income(self, day: str, piece: str, label: str, account: str, account_label: str, cents: int, aux=("", "")):
        self.entry(
            "BQ",
            day,
            piece,
            label,
            [("512000", "Banque", "", "", cents, 0), (account, account_label, aux[0], aux[1], 0, cents)],
        )

    def in_kind(self, piece: str, label: str, use: tuple[str, str], source: tuple[str, str], cents: int, aux=("", "")):
        self.entry(
            "OD",
            f"{self.year}1231",
            piece,
            label,
            [(use[0], use[1], aux[0], aux[1], cents, 0), (source[0], source[1], "", "", 0, cents)],
        )


def build(year: int = 2025) -> Book:
    book, given, y = Book(year), YEARS[year], str(year)
    bank, carried = given.opening
    book.entry(
        "AN",
        f"{y}0101",
        "AN",
        "A nouveaux",
        [
            ("512000", "Banque", "", "", bank, 0),
            ("102000", "Fonds associatif", "", "", 0, bank - carried),
            ("110000", "Report à nouveau", "", "", 0, carried),
        ],
    )
    caf = ("CAF26", "CAF DE LA DROME")
    # 74 subventions d'exploitation: 182 400,00 € in all in 2025, 168 820,00 € in 2024.
    for quarter, day in enumerate((f"{y}0120", f"{y}0415", f"{y}0715", f"{y}1015"), start=1):
        book.income(
            day,
            f"CAF-AG{quarter}",
            f"Acompte PS animation globale T{quarter}",
            "741100",
            "Subvention CAF",
            given.caf_quarter,
            caf,
        )
    book.income(
        f"{y}1120",
        "CAF-ACF",
        f"PS animation collective familles {y}",
        "741100",
        "Subvention CAF",
        given.caf_families,
        caf,
    )
    for part, day in enumerate((f"{y}0205", f"{y}0605", f"{y}1005"), start=1):
        book.income(
            day,
            f"VSA-{part}",
            f"Subvention Ville de Saint-Aubin fonctionnement {part}/3",
            "741200",
            "Subvention commune",
            given.town_part,
        )
    book.income(
        f"{y}0310",
        "CD26",
        f"Convention {y}",
        "741300",
        "Subvention département",
        given.department,
        ("DEP26", "DEPARTEMENT DE LA DROME"),
    )
    if given.region is not None:
        book.income(f"{y}0520", "REG", "Subvention Région projet jeunes", "741400", "Subvention région", given.region)
    book.income(f"{y}0228", "FONJEP", f"FONJEP poste {y}", "741500", "Subvention Etat", given.fonjep)
    book.income(f"{y}0630", "ANCT", f"ANCT contrat de ville {y}", "741500", "Subvention Etat", given.anct)
    if given.carsat is not None:
        book.income(
            f"{y}0415", "CARSAT", f"Subvention CARSAT ateliers seniors {y}", "741500", "Subvention Etat", given.carsat
        )
    book.income(
        f"{y}0910",
        "FDF",
        "Appel à projets lien social",
        "741800",
        "Subvention fondation",
        given.foundation,
        ("FDF", "FONDATION DE FRANCE"),
    )
    # 73 concours publics: 3 500,00 € in 2025.
    book.income(
        f"{y}0425",
        "VSA-ACC",
        "Concours Ville de Saint-Aubin accueil jeunes",
        "731000",
        "Concours publics",
        given.town_contest,
    )
    # 70 participations: the CAF's prestation for the holiday centre, then the families one by one.
    book.income(f"{y}1210", "CAF-ALSH", f"PS ALSH {y}", "706800", "Prestations CAF", given.caf_alsh, caf)
    for index in range(120):
        family = FAMILIES[index % 10]
        cents = (1200, 2500, 4000, 850, 1500)[index % 5]
        day = f"{y}{1 + index % 12:02d}{1 + index % 28:02d}"
        book.income(
            day,
            f"PF{index + 1:03d}",
            f"Participation sortie famille {family.capitalize()}",
            "706000",
            "Participations des usagers",
            cents,
            (f"F{family}", f"FAMILLE {family}"),
        )
    for index in range(24):
        day = f"{y}{1 + index % 12:02d}15"
        book.income(day, f"RP{index + 1:03d}", "Repas partagé", "708000", "Produits des activités annexes", 3000)
    # 75: membership fees of 80 members in 2025 (10,00 € each), gifts, expenses waived, a sponsor.
    for index in range(given.members):
        name = f"{FIRST_NAMES[index % 10]} {FAMILIES[(index * 3) % 10].capitalize()}"
        civility = "Mme" if index % 2 else "M."
        book.income(
            f"{y}{1 + index % 9:02d}{1 + index % 27:02d}",
            f"AD{index + 1:03d}",
            f"Cotisation {y} {civility} {name}",
            "756100",
            "Cotisations",
            1000,
            (f"A{index + 1:03d}", f"{civility} {name}"),
        )
    for index in range(10):
        book.income(
            f"{y}{3 + index % 9:02d}10",
            f"DON{index + 1:02d}",
            f"Don {FIRST_NAMES[index]} {FAMILIES[index].capitalize()}",
            "754100",
            "Dons manuels",
            5000 * (1 + index % 3),
            (f"D{index + 1:02d}", f"{FIRST_NAMES[index]} {FAMILIES[index]}"),
        )
    for index in range(3):
        book.entry(
            "OD",
            f"{y}1130",
            f"AF{index + 1}",
            f"Abandon frais km Mme {FAMILIES[index].capitalize()}",
            [
                ("625100", "Frais de déplacement", "", "", 12000, 0),
                ("754120", "Abandons de frais par les bénévoles", "", "", 0, 12000),
            ],
        )
    book.income(
        f"{y}0915",
        "MEC",
        "Mécénat fête de quartier",
        "754200",
        "Mécénat",
        given.sponsor,
        ("BOUL", "SARL BOULANGERIE DU MARCHE"),
    )
    # Charges: salaries by person (never actors), rent, purchases.
    for month in range(1, 13):
        day = f"{y}{month:02d}28"
        for employee_index, employee in enumerate(EMPLOYEES):
            gross = (240_000, 210_000, 195_000)[employee_index]
            book.entry(
                "SA",
                day,
                f"PAIE{month:02d}",
                f"Salaire {month:02d}/{y} {employee}",
                [
                    ("641100", "Salaires bruts", "", "", gross, 0),
                    ("421000", "Personnel rémunérations dues", f"S{employee_index}", employee, 0, gross),
                ],
            )
        book.entry(
            "AC",
            day,
            f"FA{month:02d}",
            "Fournitures activités",
            [
                ("606300", "Fournitures", "", "", 45_000, 0),
                ("401000", "Fournisseurs", "BURO", "BUREAU PLUS", 0, 45_000),
            ],
        )
    # 86/87: contributions in kind, booked at the year's end (2018-06 numbering of 87).
    book.in_kind(
        "CVN1",
        f"Valorisation bénévolat {y} ({given.volunteering[1]})",
        ("864000", "Personnel bénévole"),
        ("875000", "Bénévolat"),
        given.volunteering[0],
    )
    book.in_kind(
        "CVN2",
        "Mise à disposition des locaux par la Ville de Saint-Aubin",
        ("861000", "Mise à disposition gratuite de biens"),
        ("871000", "Prestations en nature"),
        given.premises,
    )
    book.in_kind(
        "CVN3",
        "Denrées reçues",
        ("860000", "Secours en nature"),
        ("870000", "Dons en nature"),
        320_000,
        ("BA26", "BANQUE ALIMENTAIRE DE LA DROME"),
    )
    book.in_kind(
        "CVN4",
        "Tenue de la comptabilité offerte",
        ("862000", "Prestations"),
        ("871000", "Prestations en nature"),
        180_000,
        ("EXP", "SAS EXPERTISE CONSEIL"),
    )
    return book


def fec_bytes(year: int = 2025) -> bytes:
    rows = build(year).rows
    text = "\r\n".join("\t".join(row) for row in [HEADER, *rows]) + "\r\n"
    return text.encode("iso-8859-15")


def main() -> None:
    for year in YEARS:
        path = out(year)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(fec_bytes(year))
        print(path.relative_to(HERE.parent))


if __name__ == "__main__":
    main()
