"""Seeded synthetic centres for benchmarks: a realistic mix of categories, natures, activities.

python benchmarks/synthetic.py 2000 20000 out.xlsx [--seed 1]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from openpyxl import Workbook

CATEGORY_WEIGHTS = {
    "habitants": 30,
    "benevoles": 20,
    "associations": 15,
    "producteurs": 10,
    "institutions": 8,
    "entreprises": 8,
    "financeurs": 4,
    "salaries": 3,
    "autre": 2,
}
# nature: (weight, unit, quantity range, value per unit or None)
RESOURCE_NATURES = {
    "monetaire": (25, "€", (100, 50_000), None),
    "benevolat": (30, "h", (2, 400), None),
    "nature": (15, "kg", (5, 800), 2.0),
    "lieu": (8, "salle", (1, 4), 1500.0),
    "competences": (10, "h", (2, 100), None),
    "information": (7, None, None, None),
    "reconnaissance": (5, None, None, None),
}
DOMAINS = ["individuel", "politique", "environnemental", "economique_territorial", "societal"]
FUNCTIONS = ["gouvernance", "ressources humaines", "communication", "recherche de fonds", "logistique"]


def _pick(rng: random.Random, weights: dict) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[w if isinstance(w, (int, float)) else w[0] for w in weights.values()])[0]


def synthetic_tables(actors: int, flows: int, seed: int = 1) -> dict[str, list[list[object]]]:
    """The sheets of a synthetic centre, as rows (header first)."""
    rng = random.Random(seed)
    centre = "Centre social Synthétique"
    actor_rows = [["nom", "categorie", "local", "commune"], [centre, "centre", "oui", "Ville"]]
    names = []
    for i in range(actors - 1):
        category = _pick(rng, CATEGORY_WEIGHTS)
        name = f"{category.capitalize()} {i:05d}"
        names.append((name, category))
        actor_rows.append([name, category, rng.choice(["oui", "oui", "oui", "non", None]), f"Commune {i % 40}"])
    n_activities = max(5, actors // 20)
    activity_rows = [["nom", "type", "fonction", "porteur", "domaines"]]
    activities = []
    partners = [n for n, c in names if c == "associations"] or [centre]
    for i in range(n_activities):
        support = rng.random() < 0.2
        lead = rng.choice(partners) if rng.random() < 0.15 else centre
        domains = "|".join(rng.sample(DOMAINS, rng.randint(0, 2)))
        name = f"Activité {i:04d}"
        activities.append(name)
        activity_rows.append(
            [
                name,
                "support" if support else "principale",
                rng.choice(FUNCTIONS) if support else None,
                lead,
                domains or None,
            ]
        )
    flow_rows = [["source", "cible", "nature", "quantite", "unite", "valeur", "activite", "source_donnee"]]
    inhabitants = [n for n, c in names if c == "habitants"] or [names[0][0]]
    for _ in range(flows):
        roll = rng.random()
        if roll < 0.6:
            source, category = rng.choice(names)
            nature = _pick(rng, RESOURCE_NATURES)
            _, unit, span, unit_value = RESOURCE_NATURES[nature]
            if category in ("institutions", "financeurs") and rng.random() < 0.8:
                nature, unit, span, unit_value = "monetaire", "€", (500, 80_000), None
            quantity = round(rng.uniform(*span), 1) if span else None
            value = round(quantity * unit_value, 2) if unit_value and quantity else None
            to_centre = rng.random() < 0.3
            target = centre if to_centre else rng.choice(activities)
            activity = rng.choice(activities) if to_centre and rng.random() < 0.5 else None
            flow_rows.append(
                [
                    source,
                    target,
                    nature,
                    quantity,
                    unit,
                    value,
                    activity,
                    rng.choice(["comptabilité", "relevé", "estimation"]),
                ]
            )
        elif roll < 0.85:
            flow_rows.append(
                [
                    rng.choice(activities),
                    rng.choice(inhabitants),
                    "service",
                    rng.randint(1, 60),
                    "personnes",
                    None,
                    None,
                    "relevé",
                ]
            )
        else:
            (a, _), (b, _) = rng.sample(names, 2)
            flow_rows.append([a, b, rng.choice(["information", "competences", "nature"]), None, None, None, None, None])
    indicator_rows = [["domaine", "indicateur", "valeur", "unite"]] + [
        [d, f"Indicateur {d}", rng.randint(1, 500), "personnes"] for d in DOMAINS
    ]
    centre_rows = [["champ", "valeur"], ["nom", centre], ["annee", 2025], ["taux_horaire_benevolat", 12.02]]
    return {
        "Centre": centre_rows,
        "Acteurs": actor_rows,
        "Activites": activity_rows,
        "Flux": flow_rows,
        "Indicateurs": indicator_rows,
    }


def tables_to_xlsx(tables: dict[str, list[list[object]]]) -> bytes:
    """Sheets of rows (header first) → an .xlsx file's bytes."""
    import io

    book = Workbook(write_only=True)
    for name, rows in tables.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_synthetic(path: Path, actors: int, flows: int, seed: int = 1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(tables_to_xlsx(synthetic_tables(actors, flows, seed)))
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("actors", type=int)
    parser.add_argument("flows", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(write_synthetic(Path(args.out), args.actors, args.flows, args.seed))


if __name__ == "__main__":
    main()
