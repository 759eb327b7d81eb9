"""Write the FEC of a fictional centre, the Centre social La Passerelle (Saint-Aubin), for its
2025 fiscal year: sample_data/comptes/999999999FEC20251231.txt, as accounting software writes
one (tab-separated, ISO-8859-15, decimal commas, dates AAAAMMJJ). Deterministic: the same
bytes at every run. Its expected chain is worked by hand in docs/comptes.md.

    python sample_data/build_fec.py

Every name of a person here is invented; they stand for the people real accounts hold
(families, members, employees) and must never become actors.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "comptes" / "999999999FEC20251231.txt"
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


def amount(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d}"


class Book:
    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []
        self.number = 0

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
            "20251231",
            piece,
            label,
            [(use[0], use[1], aux[0], aux[1], cents, 0), (source[0], source[1], "", "", 0, cents)],
        )


def build() -> Book:
    book = Book()
    book.entry(
        "AN",
        "20250101",
        "AN",
        "A nouveaux",
        [
            ("512000", "Banque", "", "", 4_215_000, 0),
            ("102000", "Fonds associatif", "", "", 0, 3_000_000),
            ("110000", "Report à nouveau", "", "", 0, 1_215_000),
        ],
    )
    caf = ("CAF26", "CAF DE LA DROME")
    # 74 subventions d'exploitation: 182 400,00 € in all.
    for quarter, day in enumerate(("20250120", "20250415", "20250715", "20251015"), start=1):
        book.income(
            day,
            f"CAF-AG{quarter}",
            f"Acompte PS animation globale T{quarter}",
            "741100",
            "Subvention CAF",
            1_700_000,
            caf,
        )
    book.income(
        "20251120", "CAF-ACF", "PS animation collective familles 2025", "741100", "Subvention CAF", 2_200_000, caf
    )
    for part, day in enumerate(("20250205", "20250605", "20251005"), start=1):
        book.income(
            day,
            f"VSA-{part}",
            f"Subvention Ville de Saint-Aubin fonctionnement {part}/3",
            "741200",
            "Subvention commune",
            1_500_000,
        )
    book.income(
        "20250310",
        "CD26",
        "Convention 2025",
        "741300",
        "Subvention département",
        1_800_000,
        ("DEP26", "DEPARTEMENT DE LA DROME"),
    )
    book.income("20250520", "REG", "Subvention Région projet jeunes", "741400", "Subvention région", 600_000)
    book.income("20250228", "FONJEP", "FONJEP poste 2025", "741500", "Subvention Etat", 740_000)
    book.income("20250630", "ANCT", "ANCT contrat de ville 2025", "741500", "Subvention Etat", 800_000)
    book.income(
        "20250910",
        "FDF",
        "Appel à projets lien social",
        "741800",
        "Subvention fondation",
        800_000,
        ("FDF", "FONDATION DE FRANCE"),
    )
    # 73 concours publics: 3 500,00 €.
    book.income(
        "20250425", "VSA-ACC", "Concours Ville de Saint-Aubin accueil jeunes", "731000", "Concours publics", 350_000
    )
    # 70 participations: the CAF's prestation for the holiday centre, then the families one by one.
    book.income("20251210", "CAF-ALSH", "PS ALSH 2025", "706800", "Prestations CAF", 1_200_000, caf)
    for index in range(120):
        family = FAMILIES[index % 10]
        cents = (1200, 2500, 4000, 850, 1500)[index % 5]
        day = f"2025{1 + index % 12:02d}{1 + index % 28:02d}"
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
        day = f"2025{1 + index % 12:02d}15"
        book.income(day, f"RP{index + 1:03d}", "Repas partagé", "708000", "Produits des activités annexes", 3000)
    # 75: membership fees of 80 members (10,00 € each), gifts, expenses waived, a sponsor.
    for index in range(80):
        name = f"{FIRST_NAMES[index % 10]} {FAMILIES[(index * 3) % 10].capitalize()}"
        civility = "Mme" if index % 2 else "M."
        book.income(
            f"2025{1 + index % 9:02d}{1 + index % 27:02d}",
            f"AD{index + 1:03d}",
            f"Cotisation 2025 {civility} {name}",
            "756100",
            "Cotisations",
            1000,
            (f"A{index + 1:03d}", f"{civility} {name}"),
        )
    for index in range(10):
        book.income(
            f"2025{3 + index % 9:02d}10",
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
            "20251130",
            f"AF{index + 1}",
            f"Abandon frais km Mme {FAMILIES[index].capitalize()}",
            [
                ("625100", "Frais de déplacement", "", "", 12000, 0),
                ("754120", "Abandons de frais par les bénévoles", "", "", 0, 12000),
            ],
        )
    book.income(
        "20250915",
        "MEC",
        "Mécénat fête de quartier",
        "754200",
        "Mécénat",
        150_000,
        ("BOUL", "SARL BOULANGERIE DU MARCHE"),
    )
    # Charges: salaries by person (never actors), rent, purchases.
    for month in range(1, 13):
        day = f"2025{month:02d}28"
        for employee_index, employee in enumerate(EMPLOYEES):
            gross = (240_000, 210_000, 195_000)[employee_index]
            book.entry(
                "SA",
                day,
                f"PAIE{month:02d}",
                f"Salaire {month:02d}/2025 {employee}",
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
        "Valorisation bénévolat 2025 (2 000 h à 12,02 €)",
        ("864000", "Personnel bénévole"),
        ("875000", "Bénévolat"),
        2_404_000,
    )
    book.in_kind(
        "CVN2",
        "Mise à disposition des locaux par la Ville de Saint-Aubin",
        ("861000", "Mise à disposition gratuite de biens"),
        ("871000", "Prestations en nature"),
        960_000,
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


def fec_bytes() -> bytes:
    rows = build().rows
    text = "\r\n".join("\t".join(row) for row in [HEADER, *rows]) + "\r\n"
    return text.encode("iso-8859-15")


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(fec_bytes())
    print(OUT.relative_to(HERE.parent))


if __name__ == "__main__":
    main()
