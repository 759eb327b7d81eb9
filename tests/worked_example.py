"""The worked example of docs/indicateurs.md ("Centre social des Tilleuls"), as records."""

CENTRE = {"name": "Centre social des Tilleuls", "year": 2025, "volunteer_hourly_rate": 12.02}

ACTORS = [
    {"name": "Centre social des Tilleuls", "category": "centre", "local": "oui"},
    {"name": "CAF", "category": "institutions", "local": "oui"},
    {"name": "Mairie", "category": "institutions", "local": "oui"},
    {"name": "Bénévoles", "category": "benevoles", "local": "oui"},
    {"name": "Ferme du Coteau", "category": "producteurs", "local": "oui"},
    {"name": "Fondation Horizon", "category": "financeurs", "local": "non"},
    {"name": "Familles du quartier", "category": "habitants", "local": "oui"},
]

ACTIVITIES = [
    {"name": "Atelier cuisine", "type": "principale", "domains": "individuel|societal"},
    {"name": "Gouvernance", "type": "support", "function": "gouvernance", "domains": "politique"},
]

FLOWS = [
    {"source": "CAF", "target": "Centre social des Tilleuls", "nature": "monetaire", "quantity": 30000, "unit": "€", "domains": "economique_territorial"},
    {"source": "Mairie", "target": "Centre social des Tilleuls", "nature": "monetaire", "quantity": 10000, "unit": "€"},
    {"source": "Mairie", "target": "Atelier cuisine", "nature": "lieu", "quantity": 1, "unit": "salle", "value": 2000},
    {"source": "Bénévoles", "target": "Atelier cuisine", "nature": "benevolat", "quantity": 200, "unit": "h"},
    {"source": "Bénévoles", "target": "Gouvernance", "nature": "benevolat", "quantity": 50, "unit": "h"},
    {"source": "Ferme du Coteau", "target": "Atelier cuisine", "nature": "nature", "quantity": 300, "unit": "kg", "value": 600},
    {"source": "Fondation Horizon", "target": "Centre social des Tilleuls", "nature": "monetaire", "quantity": 5000, "unit": "€"},
    {"source": "Atelier cuisine", "target": "Familles du quartier", "nature": "service", "quantity": 40, "unit": "personnes"},
    {"source": "Centre social des Tilleuls", "target": "Ferme du Coteau", "nature": "information"},
    {"source": "Familles du quartier", "target": "Gouvernance", "nature": "benevolat", "quantity": 30, "unit": "h"},
    {"source": "Ferme du Coteau", "target": "Familles du quartier", "nature": "nature", "quantity": 50, "unit": "kg", "value": 100, "domains": "economique_territorial|environnemental"},
]


def raw_workbook():
    from valuechain.writing import raw_workbook_from_records

    return raw_workbook_from_records("tilleuls", CENTRE, actors=ACTORS, activities=ACTIVITIES, flows=FLOWS)
