"""Write the sample centres' workbooks (run: ``python sample_data/build_samples.py``).

All three centres are FICTIONAL: names, towns and figures are invented, shaped like the
Fonda's monographs (a solidarity cannery in the Drôme, a centre run by 110+ inhabitants in
Seine-Maritime, a centre with a crèche). The fourth file is the worked example of
``shared/metrics.md``; ``annees/`` holds the Tilleuls of the years before and after it.
``federation/`` holds six small centres of one fictional federation (issue 34.10), for the
Comparer's protected distribution. The .xlsx files are committed; this script is how they were
made (``python sample_data/build_samples.py federation/`` writes only those).
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from valuechain.workbook.writing import raw_workbook_from_records, write_raw_workbook  # noqa: E402

FICTION = "Centre fictif, créé pour la démonstration : noms et chiffres inventés, mais plausibles."


def actor(name, category, local="oui", town=None, count=None, description=None, tags=None, **extra):
    return {
        "name": name,
        "category": category,
        "local": local,
        "town": town,
        "count": count,
        "description": description,
        "tags": tags,
        **extra,
    }


def activity(name, type="principale", domains=None, lead=None, function=None, description=None):
    return {
        "name": name,
        "type": type,
        "domains": domains,
        "lead": lead,
        "function": function,
        "description": description,
    }


def flow(
    source,
    target,
    nature,
    quantity=None,
    unit=None,
    value=None,
    activity=None,
    domains=None,
    data_source=None,
    description=None,
    tangible=None,
):
    return {
        "source": source,
        "target": target,
        "nature": nature,
        "quantity": quantity,
        "unit": unit,
        "value": value,
        "activity": activity,
        "domains": domains,
        "data_source": data_source,
        "description": description,
        "tangible": tangible,
    }


def outcome(
    stakeholder,
    name,
    activity,
    domain,
    quantity,
    indicator,
    proxy,
    proxy_value,
    proxy_source,
    duration,
    deadweight,
    displacement,
    attribution,
    drop_off,
    evidence,
):
    return dict(
        stakeholder=stakeholder,
        outcome=name,
        activity=activity,
        domain=domain,
        quantity=quantity,
        indicator=indicator,
        proxy=proxy,
        proxy_value=proxy_value,
        proxy_source=proxy_source,
        duration=duration,
        deadweight=deadweight,
        displacement=displacement,
        attribution=attribution,
        drop_off=drop_off,
        evidence=evidence,
    )


def indicator(domain, name, value, unit=None, activity=None, actor=None, source=None, comment=None):
    return {
        "domain": domain,
        "indicator": name,
        "value": value,
        "unit": unit,
        "activity": activity,
        "actor": actor,
        "source": source,
        "comment": comment,
    }


# 1. A solidarity cannery run by three centres with about thirty local producers ------------------
CANNERY = dict(
    name="conserverie-les-tisserands-fictif",
    centre={
        "name": "La Coopérative des Tisserands",
        "town": "Valrieu-sur-Isère",
        "department": "26",
        "federation": "Fédération des centres sociaux de la Drôme",
        "year": 2025,
        "type": "centre social",
        "volunteer_hourly_rate": 12.02,
        "territory": "Quartiers prioritaires et communes rurales voisines",
        "avertissement": FICTION,
    },
    actors=[
        actor(
            "La Coopérative des Tisserands",
            "centre",
            town="Valrieu-sur-Isère",
            description="Groupement de trois centres sociaux (fictif)",
        ),
        actor("CAF de la Drôme", "institutions", description="Prestation de service animation globale"),
        actor("Ville de Valrieu", "institutions"),
        actor("Département de la Drôme", "institutions"),
        actor("Région (fonds alimentation durable)", "institutions", local="non"),
        actor("Fondation Terres Partagées", "financeurs", local="non"),
        actor(
            "Bénévoles de la conserverie",
            "benevoles",
            count=45,
            description="Habitants qui cuisinent et mettent en bocaux",
        ),
        actor("Habitants adhérents du SEL", "habitants", count=320, tags="SEL|conserverie"),
        actor("Familles des quartiers", "habitants", count=210),
        actor("Salariés de la Coopérative", "salaries", count=4),
        actor("GAEC du Vieux Noyer", "producteurs", town="Châtillon-le-Haut", tags="bio"),
        actor("Ferme des Trois Sources", "producteurs", town="Valrieu-sur-Isère", tags="bio"),
        actor("Vergers de la Combe", "producteurs", town="Saint-Lattier-le-Bas", tags="bio|fruits"),
        actor("Maraîchage du Pont", "producteurs", town="Valrieu-sur-Isère", tags="bio|légumes"),
        actor(
            "Collectif des producteurs bio (26 fermes)",
            "producteurs",
            count=26,
            description="Les autres fermes, regroupées",
            tags="bio",
        ),
        actor("Banque alimentaire de la Drôme", "associations"),
        actor("Épicerie solidaire Le Panier", "associations"),
        actor("Lycée agricole du Val", "institutions", description="Prête la légumerie l'été"),
        actor("Biocoop Valrieu", "entreprises", description="Revend une partie des bocaux"),
        actor("Restaurants scolaires", "institutions"),
    ],
    activities=[
        activity(
            "Conserverie mobile et solidaire",
            domains="environnemental|economique_territorial|societal",
            description="Transformation des surplus des producteurs en bocaux",
        ),
        activity(
            "Système d'échange local",
            domains="economique_territorial|societal",
            lead="Habitants adhérents du SEL",
            description="Bocaux échangés contre du temps",
        ),
        activity("Ateliers cuisine anti-gaspillage", domains="individuel|environnemental"),
        activity("Distribution solidaire", domains="societal", lead="Épicerie solidaire Le Panier"),
        activity("Gouvernance partagée", type="support", function="gouvernance", domains="politique"),
        activity("Logistique de la conserverie", type="support", function="logistique"),
        activity("Recherche de financements", type="support", function="recherche de fonds"),
        activity("Communication", type="support", function="communication", domains="politique"),
    ],
    flows=[
        flow(
            "CAF de la Drôme",
            "La Coopérative des Tisserands",
            "monetaire",
            16500,
            "€",
            domains="societal",
            data_source="comptabilité",
        ),
        flow(
            "Ville de Valrieu",
            "La Coopérative des Tisserands",
            "monetaire",
            9000,
            "€",
            activity="Conserverie mobile et solidaire",
            data_source="comptabilité",
        ),
        flow(
            "Département de la Drôme",
            "Conserverie mobile et solidaire",
            "monetaire",
            6000,
            "€",
            data_source="comptabilité",
        ),
        flow(
            "Région (fonds alimentation durable)",
            "Conserverie mobile et solidaire",
            "monetaire",
            8000,
            "€",
            data_source="comptabilité",
        ),
        flow(
            "Fondation Terres Partagées",
            "Conserverie mobile et solidaire",
            "monetaire",
            5000,
            "€",
            data_source="comptabilité",
        ),
        flow(
            "Ville de Valrieu",
            "Conserverie mobile et solidaire",
            "lieu",
            1,
            "local",
            3600,
            data_source="estimation",
            description="Local de stockage mis à disposition",
        ),
        flow(
            "Lycée agricole du Val",
            "Conserverie mobile et solidaire",
            "lieu",
            8,
            "semaines",
            1800,
            data_source="estimation",
            description="Légumerie prêtée l'été",
        ),
        flow("GAEC du Vieux Noyer", "Conserverie mobile et solidaire", "nature", 240, "kg", 480, data_source="relevé"),
        flow(
            "Ferme des Trois Sources", "Conserverie mobile et solidaire", "nature", 310, "kg", 620, data_source="relevé"
        ),
        flow("Vergers de la Combe", "Conserverie mobile et solidaire", "nature", 280, "kg", 700, data_source="relevé"),
        flow("Maraîchage du Pont", "Conserverie mobile et solidaire", "nature", 190, "kg", 380, data_source="relevé"),
        flow(
            "Collectif des producteurs bio (26 fermes)",
            "Conserverie mobile et solidaire",
            "nature",
            780,
            "kg",
            1560,
            data_source="relevé",
        ),
        flow(
            "Banque alimentaire de la Drôme",
            "Conserverie mobile et solidaire",
            "nature",
            "1 200 kg",
            None,
            1200,
            data_source="relevé",
        ),
        flow(
            "Bénévoles de la conserverie",
            "Conserverie mobile et solidaire",
            "benevolat",
            "1 640",
            "h",
            data_source="relevé",
        ),
        flow(
            "Bénévoles de la conserverie",
            "Logistique de la conserverie",
            "benevolat",
            52,
            "jours",
            data_source="estimation",
        ),
        flow("Habitants adhérents du SEL", "Gouvernance partagée", "benevolat", 310, "h", data_source="relevé"),
        flow("Habitants adhérents du SEL", "Système d'échange local", "benevolat", 420, "h", data_source="relevé"),
        flow(
            "Salariés de la Coopérative", "Recherche de financements", "competences", 120, "h", data_source="estimation"
        ),
        flow("Salariés de la Coopérative", "Communication", "competences", 90, "h", data_source="estimation"),
        flow(
            "Biocoop Valrieu",
            "La Coopérative des Tisserands",
            "monetaire",
            "2 150,00 €",
            None,
            activity="Conserverie mobile et solidaire",
            description="Achat de bocaux pour revente",
            data_source="comptabilité",
        ),
        flow(
            "Habitants adhérents du SEL",
            "Conserverie mobile et solidaire",
            "monetaire",
            3400,
            "€",
            description="Bocaux vendus en euros",
            data_source="comptabilité",
        ),
        flow(
            "Conserverie mobile et solidaire",
            "Habitants adhérents du SEL",
            "nature",
            2400,
            "bocaux",
            description="Bocaux vendus ou échangés",
        ),
        flow(
            "Conserverie mobile et solidaire",
            "Système d'échange local",
            "nature",
            900,
            "bocaux",
            description="Bocaux échangés contre du temps",
        ),
        flow("Système d'échange local", "Habitants adhérents du SEL", "service", 320, "personnes"),
        flow("Conserverie mobile et solidaire", "Épicerie solidaire Le Panier", "nature", 600, "bocaux"),
        flow("Distribution solidaire", "Familles des quartiers", "nature", 210, "personnes", domains="societal"),
        flow("Ateliers cuisine anti-gaspillage", "Familles des quartiers", "service", 95, "personnes"),
        flow("Bénévoles de la conserverie", "Ateliers cuisine anti-gaspillage", "competences", 60, "h"),
        flow(
            "La Coopérative des Tisserands",
            "GAEC du Vieux Noyer",
            "reconnaissance",
            description="Débouché pour les surplus",
        ),
        flow(
            "La Coopérative des Tisserands",
            "Collectif des producteurs bio (26 fermes)",
            "information",
            description="Mise en réseau avec les restaurants scolaires",
        ),
        flow(
            "Collectif des producteurs bio (26 fermes)",
            "Restaurants scolaires",
            "nature",
            3,
            "t",
            description="Ventes nées de la mise en relation",
        ),
        flow("Conserverie mobile et solidaire", "Restaurants scolaires", "nature", 400, "bocaux"),
        flow("Épicerie solidaire Le Panier", "Distribution solidaire", "benevolat", 180, "h"),
        flow("CAF de la Drôme", "Gouvernance partagée", "reconnaissance", description="Agrément centre social"),
    ],
    indicators=[
        indicator(
            "environnemental",
            "Fruits et légumes sauvés du gaspillage",
            1800,
            "kg",
            "Conserverie mobile et solidaire",
            source="relevés de pesée",
        ),
        indicator(
            "economique_territorial", "Producteurs locaux partenaires", 30, "fermes", "Conserverie mobile et solidaire"
        ),
        indicator(
            "economique_territorial",
            "Budget de la conserverie",
            55000,
            "€",
            "Conserverie mobile et solidaire",
            source="comptabilité",
        ),
        indicator("societal", "Familles ayant reçu des bocaux", 210, "familles", "Distribution solidaire"),
        indicator(
            "individuel",
            "Bénévoles ayant appris la conservation",
            38,
            "personnes",
            "Ateliers cuisine anti-gaspillage",
            source="questionnaire",
        ),
        indicator("politique", "Habitants au comité de pilotage", 12, "personnes", "Gouvernance partagée"),
        indicator("societal", "Heures échangées dans le SEL", 1350, "h", "Système d'échange local"),
    ],
)

# 2. A centre whose inhabitants run their own activity spaces ---------------------------------------
SPACES = dict(
    name="maison-des-habitants-les-falaises-fictif",
    centre={
        "name": "Maison des habitants Les Falaises",
        "town": "Montreuil-sur-Lézarde",
        "department": "76",
        "federation": "Fédération des centres sociaux de Seine-Maritime",
        "year": 2025,
        "type": "centre social",
        "volunteer_hourly_rate": 12.02,
        "territory": "Quartier prioritaire (QPV) et centre-ville",
        "avertissement": FICTION,
    },
    actors=[
        actor("Maison des habitants Les Falaises", "centre", town="Montreuil-sur-Lézarde"),
        actor("CAF de Seine-Maritime", "institutions"),
        actor("Ville de Montreuil-sur-Lézarde", "institutions"),
        actor("État (politique de la ville)", "institutions", local="non"),
        actor("Bailleur social Logis de l'Estuaire", "entreprises"),
        actor("Habitants bénévoles", "benevoles", count=112, description="Habitants qui animent les espaces"),
        actor("Habitants du quartier", "habitants", count=1450),
        actor("Salariés de la Maison", "salaries", count=9),
        actor("Collectif Jardin des Falaises", "associations", description="Collectif d'habitants"),
        actor("Association Répar'Tout", "associations"),
        actor("Compagnie théâtrale La Marée", "associations", local="non"),
        actor("Médiathèque municipale", "institutions"),
        actor("Fondation Solidarités de Normandie", "financeurs", local="non"),
        actor("Jardinerie du Port", "entreprises"),
        actor("Écoles du quartier", "institutions"),
        actor("Conseil citoyen", "associations"),
    ],
    activities=[
        activity("Jardin partagé", domains="environnemental|societal", lead="Collectif Jardin des Falaises"),
        activity("Repair café", domains="environnemental|economique_territorial", lead="Association Répar'Tout"),
        activity("Atelier couture solidaire", domains="individuel|societal"),
        activity("Café des parents", domains="individuel|societal"),
        activity("Théâtre forum", domains="politique|individuel", lead="Compagnie théâtrale La Marée"),
        activity("Accompagnement des projets d'habitants", domains="politique|individuel"),
        activity("Conseil de maison", type="support", function="gouvernance", domains="politique"),
        activity("Formation des bénévoles", type="support", function="ressources humaines", domains="individuel"),
        activity("Journal de quartier", type="support", function="communication", domains="politique|societal"),
    ],
    flows=[
        flow(
            "CAF de Seine-Maritime",
            "Maison des habitants Les Falaises",
            "monetaire",
            98000,
            "€",
            data_source="comptabilité",
        ),
        flow(
            "Ville de Montreuil-sur-Lézarde",
            "Maison des habitants Les Falaises",
            "monetaire",
            120000,
            "€",
            data_source="comptabilité",
        ),
        flow(
            "État (politique de la ville)",
            "Accompagnement des projets d'habitants",
            "monetaire",
            15000,
            "€",
            data_source="comptabilité",
        ),
        flow("Fondation Solidarités de Normandie", "Théâtre forum", "monetaire", 4500, "€", data_source="comptabilité"),
        flow(
            "Bailleur social Logis de l'Estuaire",
            "Jardin partagé",
            "lieu",
            1,
            "parcelle",
            2400,
            data_source="estimation",
        ),
        flow(
            "Bailleur social Logis de l'Estuaire",
            "Maison des habitants Les Falaises",
            "monetaire",
            6000,
            "€",
            activity="Repair café",
            data_source="comptabilité",
        ),
        flow(
            "Ville de Montreuil-sur-Lézarde",
            "Maison des habitants Les Falaises",
            "lieu",
            1,
            "bâtiment",
            36000,
            data_source="comptabilité",
            description="Mise à disposition des locaux (compte 86)",
        ),
        flow("Habitants bénévoles", "Jardin partagé", "benevolat", 1850, "h", data_source="relevé"),
        flow("Habitants bénévoles", "Repair café", "benevolat", 960, "h", data_source="relevé"),
        flow("Habitants bénévoles", "Atelier couture solidaire", "benevolat", 1120, "h", data_source="relevé"),
        flow("Habitants bénévoles", "Café des parents", "benevolat", 640, "h", data_source="relevé"),
        flow(
            "Habitants bénévoles",
            "Accompagnement des projets d'habitants",
            "benevolat",
            1300,
            "h",
            data_source="estimation",
        ),
        flow("Habitants bénévoles", "Conseil de maison", "benevolat", 96, "jours", data_source="relevé"),
        flow("Habitants bénévoles", "Journal de quartier", "benevolat", 400, "h", data_source="estimation"),
        flow("Conseil citoyen", "Conseil de maison", "competences", 40, "h"),
        flow("Salariés de la Maison", "Formation des bénévoles", "competences", 210, "h", data_source="comptabilité"),
        flow(
            "Jardinerie du Port",
            "Jardin partagé",
            "nature",
            1,
            "lot",
            750,
            data_source="estimation",
            description="Plants et outils",
        ),
        flow("Association Répar'Tout", "Repair café", "competences", 300, "h"),
        flow("Médiathèque municipale", "Café des parents", "lieu", 40, "séances", 1600, data_source="estimation"),
        flow("Compagnie théâtrale La Marée", "Théâtre forum", "competences", 120, "h"),
        flow(
            "Habitants du quartier",
            "Atelier couture solidaire",
            "nature",
            350,
            "kg",
            700,
            description="Tissus donnés",
            data_source="estimation",
        ),
        flow("Jardin partagé", "Habitants du quartier", "nature", 900, "kg", description="Légumes récoltés"),
        flow("Jardin partagé", "Habitants du quartier", "service", 160, "personnes"),
        flow(
            "Repair café",
            "Habitants du quartier",
            "service",
            430,
            "personnes",
            description="Objets réparés pour 430 personnes",
        ),
        flow("Atelier couture solidaire", "Habitants du quartier", "service", 85, "personnes"),
        flow("Café des parents", "Habitants du quartier", "service", 120, "personnes"),
        flow("Théâtre forum", "Habitants du quartier", "service", 300, "personnes"),
        flow("Accompagnement des projets d'habitants", "Habitants bénévoles", "competences", 24, "projets"),
        flow("Formation des bénévoles", "Habitants bénévoles", "competences", 65, "personnes"),
        flow(
            "Maison des habitants Les Falaises",
            "Écoles du quartier",
            "information",
            description="Relais vers le café des parents",
        ),
        flow("Écoles du quartier", "Café des parents", "information"),
        flow(
            "Maison des habitants Les Falaises",
            "Ville de Montreuil-sur-Lézarde",
            "information",
            description="Diagnostic partagé du quartier",
        ),
        flow("Ville de Montreuil-sur-Lézarde", "Maison des habitants Les Falaises", "reconnaissance"),
        flow("Journal de quartier", "Habitants du quartier", "information", 1450, "exemplaires"),
    ],
    indicators=[
        indicator(
            "individuel",
            "Habitants impliqués dans l'animation d'un espace",
            112,
            "personnes",
            source="registre des bénévoles",
        ),
        indicator("individuel", "Bénévoles formés", 65, "personnes", "Formation des bénévoles"),
        indicator(
            "politique", "Projets d'habitants accompagnés", 24, "projets", "Accompagnement des projets d'habitants"
        ),
        indicator("politique", "Participants au conseil de maison", 18, "personnes", "Conseil de maison"),
        indicator("environnemental", "Objets réparés plutôt que jetés", 610, "objets", "Repair café"),
        indicator(
            "economique_territorial",
            "Économies des ménages (réparations)",
            18300,
            "€",
            "Repair café",
            comment="610 objets × 30 € estimés",
        ),
        indicator("societal", "Habitants touchés par au moins une activité", 1095, "personnes"),
    ],
)

# 3. A centre that runs a crèche inside its social project ----------------------------------------------
CRECHE = dict(
    name="association-les-embruns-creche-fictif",
    centre={
        "name": "Association Les Embruns",
        "town": "Neuville-sur-Mer",
        "department": "76",
        "federation": "Fédération des centres sociaux de Seine-Maritime",
        "year": 2025,
        "type": "centre social",
        "volunteer_hourly_rate": 12.02,
        "territory": "Quartier populaire en bord de ville",
        "avertissement": FICTION,
    },
    actors=[
        actor("Association Les Embruns", "centre", town="Neuville-sur-Mer"),
        actor("CAF de Seine-Maritime", "institutions"),
        actor("Ville de Neuville-sur-Mer", "institutions"),
        actor("Département (PMI)", "institutions"),
        actor("Familles usagères de la crèche", "habitants", count=38),
        actor("Parents bénévoles", "benevoles", count=22),
        actor("Administrateurs bénévoles", "benevoles", count=11),
        actor("Équipe de la crèche", "salaries", count=8),
        actor("Équipe du centre social", "salaries", count=6),
        actor("Ludothèque Pirouette", "associations"),
        actor("Entreprise Normandie Emballages", "entreprises", description="Réserve deux berceaux"),
        actor("Fondation Petite Enfance", "financeurs", local="non"),
        actor("Habitants du quartier", "habitants", count=2300),
        actor("Mutuelle solidaire", "financeurs", local=None),
    ],
    activities=[
        activity(
            "Crèche (EAJE) 20 places",
            domains="individuel|economique_territorial",
            description="Accueil du jeune enfant, intégré au projet social",
        ),
        activity("Café des parents", domains="individuel|societal"),
        activity("Lieu d'accueil enfants-parents", domains="individuel|societal"),
        activity("Sorties familles", domains="societal|environnemental"),
        activity("Ateliers éveil nature", domains="environnemental|individuel", lead="Ludothèque Pirouette"),
        activity("Conseil d'administration", type="support", function="gouvernance", domains="politique"),
        activity("Gestion des ressources humaines", type="support", function="ressources humaines"),
        activity("Commission parents", type="support", function="gouvernance", domains="politique"),
    ],
    flows=[
        flow(
            "CAF de Seine-Maritime",
            "Crèche (EAJE) 20 places",
            "monetaire",
            182000,
            "€",
            description="Prestation de service unique",
            data_source="comptabilité",
        ),
        flow(
            "CAF de Seine-Maritime",
            "Association Les Embruns",
            "monetaire",
            72000,
            "€",
            description="Animation globale et famille",
            data_source="comptabilité",
        ),
        flow(
            "Ville de Neuville-sur-Mer", "Crèche (EAJE) 20 places", "monetaire", 95000, "€", data_source="comptabilité"
        ),
        flow(
            "Ville de Neuville-sur-Mer", "Association Les Embruns", "monetaire", 48000, "€", data_source="comptabilité"
        ),
        flow(
            "Département (PMI)",
            "Crèche (EAJE) 20 places",
            "competences",
            24,
            "h",
            description="Visites et conseils de la PMI",
        ),
        flow(
            "Familles usagères de la crèche",
            "Crèche (EAJE) 20 places",
            "monetaire",
            61000,
            "€",
            description="Participations familiales",
            data_source="comptabilité",
        ),
        flow(
            "Entreprise Normandie Emballages",
            "Crèche (EAJE) 20 places",
            "monetaire",
            14000,
            "€",
            description="Deux berceaux réservés",
            data_source="comptabilité",
        ),
        flow("Fondation Petite Enfance", "Ateliers éveil nature", "monetaire", 3500, "€", data_source="comptabilité"),
        flow("Mutuelle solidaire", "Sorties familles", "monetaire", 1200, "€", data_source="comptabilité"),
        flow("Parents bénévoles", "Café des parents", "benevolat", 380, "h", data_source="relevé"),
        flow("Parents bénévoles", "Sorties familles", "benevolat", 36, "jours", data_source="estimation"),
        flow("Parents bénévoles", "Commission parents", "benevolat", 150, "h", data_source="relevé"),
        flow("Administrateurs bénévoles", "Conseil d'administration", "benevolat", 620, "h", data_source="relevé"),
        flow(
            "Administrateurs bénévoles",
            "Gestion des ressources humaines",
            "benevolat",
            140,
            "h",
            data_source="estimation",
        ),
        flow(
            "Équipe de la crèche",
            "Crèche (EAJE) 20 places",
            "service",
            12600,
            "h",
            description="Heures de travail (dans le budget)",
        ),
        flow("Équipe du centre social", "Café des parents", "competences", 160, "h"),
        flow(
            "Ludothèque Pirouette", "Ateliers éveil nature", "nature", 1, "prêt de jeux", 900, data_source="estimation"
        ),
        flow("Ville de Neuville-sur-Mer", "Sorties familles", "lieu", 6, "cars", 2700, data_source="comptabilité"),
        flow(
            "Crèche (EAJE) 20 places",
            "Familles usagères de la crèche",
            "service",
            38,
            "personnes",
            description="Familles accueillies",
        ),
        flow("Café des parents", "Habitants du quartier", "service", 140, "personnes"),
        flow("Lieu d'accueil enfants-parents", "Habitants du quartier", "service", 75, "personnes"),
        flow("Sorties familles", "Habitants du quartier", "service", 260, "personnes"),
        flow("Ateliers éveil nature", "Familles usagères de la crèche", "service", 30, "personnes"),
        flow(
            "Crèche (EAJE) 20 places",
            "Café des parents",
            "information",
            description="Les parents de la crèche rejoignent le café",
        ),
        flow(
            "Association Les Embruns",
            "Familles usagères de la crèche",
            "reconnaissance",
            description="Place des parents dans le projet",
        ),
        flow("Familles usagères de la crèche", "Commission parents", "benevolat", 90, "h"),
        flow(
            "Association Les Embruns",
            "Ville de Neuville-sur-Mer",
            "information",
            description="Observation des besoins des familles",
        ),
        flow("Équipe du centre social", "Lieu d'accueil enfants-parents", "competences", 280, "h"),
        flow("Association Les Embruns", "Lieu d'accueil enfants-parents", "service", 1, "salle", tangible="oui"),
    ],
    indicators=[
        indicator("individuel", "Enfants accueillis à la crèche", 46, "enfants", "Crèche (EAJE) 20 places"),
        indicator(
            "economique_territorial",
            "Parents ayant repris un emploi ou une formation",
            14,
            "personnes",
            "Crèche (EAJE) 20 places",
            source="enquête",
        ),
        indicator("societal", "Familles de la crèche venues à une autre activité", 21, "familles", "Café des parents"),
        indicator("politique", "Parents élus au conseil d'administration", 3, "personnes", "Conseil d'administration"),
        indicator("environnemental", "Sorties nature organisées", 9, "sorties", "Sorties familles"),
        indicator(
            "individuel",
            "Parents disant se sentir moins seuls",
            0.82,
            "part",
            "Café des parents",
            source="questionnaire",
            comment="82 % des répondants",
        ),
    ],
)

# 4. The worked example of shared/metrics.md ------------------------------------------------------------------
WORKED_EXAMPLE_NOTE = "Exemple chiffré de la documentation des indicateurs (fictif)."
TILLEULS = dict(
    name="tilleuls-exemple-chiffre",
    centre={
        "name": "Centre social des Tilleuls",
        "year": 2025,
        "volunteer_hourly_rate": 12.02,
        "avertissement": WORKED_EXAMPLE_NOTE,
    },
    actors=[
        actor("Centre social des Tilleuls", "centre"),
        actor("CAF", "institutions"),
        actor("Mairie", "institutions"),
        actor("Bénévoles", "benevoles"),
        actor("Ferme du Coteau", "producteurs"),
        actor("Fondation Horizon", "financeurs", local="non"),
        actor("Familles du quartier", "habitants"),
    ],
    activities=[
        activity("Atelier cuisine", domains="individuel|societal"),
        activity("Gouvernance", type="support", function="gouvernance", domains="politique"),
    ],
    flows=[
        flow("CAF", "Centre social des Tilleuls", "monetaire", 30000, "€", domains="economique_territorial"),
        flow("Mairie", "Centre social des Tilleuls", "monetaire", 10000, "€"),
        flow("Mairie", "Atelier cuisine", "lieu", 1, "salle", 2000),
        flow("Bénévoles", "Atelier cuisine", "benevolat", 200, "h"),
        flow("Bénévoles", "Gouvernance", "benevolat", 50, "h"),
        flow("Ferme du Coteau", "Atelier cuisine", "nature", 300, "kg", 600),
        flow("Fondation Horizon", "Centre social des Tilleuls", "monetaire", 5000, "€"),
        flow("Atelier cuisine", "Familles du quartier", "service", 40, "personnes"),
        flow("Centre social des Tilleuls", "Ferme du Coteau", "information"),
        flow("Familles du quartier", "Gouvernance", "benevolat", 30, "h"),
        flow(
            "Ferme du Coteau",
            "Familles du quartier",
            "nature",
            50,
            "kg",
            100,
            domains="economique_territorial|environnemental",
        ),
    ],
    indicators=[
        indicator("societal", "Familles ayant participé à l'atelier cuisine", 40, "personnes", "Atelier cuisine"),
    ],
    # The worked example of shared/social-value.md (its Mairie row, listed but not valued, is
    # left to the tests): the social value page has a centre to show.
    outcomes=[
        outcome(
            "Familles du quartier",
            "Parents plus confiants, moins isolés",
            "Atelier cuisine",
            "individuel",
            40,
            "Sentiment de confiance des parents (questionnaire)",
            "Coût évité d'un accompagnement individuel",
            600,
            "Référentiel fictif de l'exemple",
            2,
            "20 %",
            None,
            "25 %",
            "50 %",
            "déclaré",
        ),
        outcome(
            "Bénévoles",
            "Compétences acquises (animation, gestion)",
            "Gouvernance",
            "individuel",
            12,
            "Compétences validées en fin d'année",
            "Coût d'une formation équivalente",
            1200,
            "Référentiel fictif de l'exemple",
            3,
            "10 %",
            None,
            "10 %",
            "30 %",
            "mesuré",
        ),
        outcome(
            "Familles du quartier",
            "Liens de voisinage créés",
            "Atelier cuisine",
            "societal",
            40,
            "Voisins connus par nom (questionnaire)",
            "Valeur d'un réseau d'entraide",
            350,
            "Référentiel fictif de l'exemple",
            2,
            "30 %",
            None,
            "20 %",
            "50 %",
            "déclaré",
        ),
        outcome(
            "Ferme du Coteau",
            "Débouché local pour les invendus",
            "Atelier cuisine",
            "environnemental",
            300,
            "Kilos d'invendus cuisinés",
            "Prix de gros du kilo",
            2,
            "Mercuriale fictive de l'exemple",
            1,
            None,
            "10 %",
            "40 %",
            None,
            "estimé",
        ),
    ],
)

# 5. The Tilleuls the year before and the year after (docs/indicateurs.md, "Évolution d'une année
# à l'autre"): with the worked example, a centre stored for three years (sample_data/annees/).
YEARS_NOTE = "Exemple chiffré de l'évolution d'une année à l'autre (fictif)."
TILLEULS_2024 = dict(
    TILLEULS,
    name="annees/tilleuls-2024",
    outcomes=[],
    indicators=[],
    centre=dict(TILLEULS["centre"], year=2024, avertissement=YEARS_NOTE),
    actors=[
        actor("Centre social des Tilleuls", "centre"),
        actor("CAF", "institutions"),
        actor("Mairie", "institutions"),
        actor("Bénévoles", "benevoles"),
        actor("Épicerie du Marché", "entreprises"),
        actor("Familles du quartier", "habitants"),
    ],
    flows=[
        flow("CAF", "Centre social des Tilleuls", "monetaire", 28000, "€"),
        flow("Mairie", "Centre social des Tilleuls", "monetaire", 10000, "€"),
        flow("Mairie", "Atelier cuisine", "lieu", 1, "salle", 2000),
        flow("Bénévoles", "Atelier cuisine", "benevolat", 150, "h"),
        flow("Épicerie du Marché", "Atelier cuisine", "nature", 100, "kg", 400),
        flow("Atelier cuisine", "Familles du quartier", "service", 30, "personnes"),
    ],
)
TILLEULS_2026 = dict(
    TILLEULS,
    name="annees/tilleuls-2026",
    outcomes=[],
    indicators=[],
    centre=dict(TILLEULS["centre"], year=2026, avertissement=YEARS_NOTE),
    actors=[
        actor("Centre social des Tilleuls", "centre"),
        actor("CAF", "institutions"),
        actor("Mairie", "institutions", id="ville"),
        actor("Bénévoles", "benevoles"),
        actor("Ferme du Coteau", "producteurs"),
        actor("Familles du quartier", "habitants"),
        actor("Collectif Jardins partagés", "associations"),
        actor("Fondation Lumière", "financeurs", local="non"),
    ],
    flows=[
        flow("CAF", "Centre social des Tilleuls", "monetaire", 32000, "€"),
        flow("ville", "Centre social des Tilleuls", "monetaire", 10000, "€"),
        flow("ville", "Atelier cuisine", "lieu", 1, "salle", 2000),
        flow("Bénévoles", "Atelier cuisine", "benevolat", 220, "h"),
        flow("Bénévoles", "Gouvernance", "benevolat", 50, "h"),
        flow("Ferme du Coteau", "Atelier cuisine", "nature", 400, "kg", 800, data_source="estimation"),
        flow("Collectif Jardins partagés", "Atelier cuisine", "benevolat", 40, "h"),
        flow("Fondation Lumière", "Centre social des Tilleuls", "monetaire", 3000, "€", data_source="comptabilité"),
        flow("Atelier cuisine", "Familles du quartier", "service", 45, "personnes"),
    ],
)


# 6. A federation of six small centres (issue 34.10): enough centres in one federation and one
# year for the Comparer to show its protected distribution (quartiles over five other centres
# at least). Two of them leave the territory's population blank, as many real workbooks do: the
# figures per inhabitant are then defined for four centres only, and the page says so.
SAMPLE_FEDERATION = "Fédération des centres sociaux du Val d'Ardoise (fictive)"
FEDERATION_NOTE = (
    "Centre fictif d'une fédération d'exemple de six centres, créée pour montrer la comparaison : "
    "noms et chiffres inventés."
)
# name, file, town, population, CAF €, town hall €, other funder (name, €), volunteer hours,
# families served, gifts in kind (kg, €), partner association
FEDERATION_CENTRES = (
    (
        "Centre social La Passerelle",
        "la-passerelle",
        "Ardoise-les-Bains",
        8200,
        96000,
        41000,
        ("Département du Val d'Ardoise", 18000),
        1350,
        210,
        (600, 1500),
        "Amicale des locataires",
    ),
    (
        "Centre social Les Quatre Vents",
        "les-quatre-vents",
        "Montclar-d'Ardoise",
        5400,
        74000,
        26000,
        ("Fondation Horizon Solidaire", 9000),
        980,
        160,
        (250, 700),
        "Club de football du Plateau",
    ),
    (
        "Espace de vie sociale Le Lavoir",
        "le-lavoir",
        "Bourg-Ardent",
        None,
        22000,
        8000,
        ("Mutualité du Val", 2500),
        640,
        75,
        (120, 300),
        "Comité des fêtes",
    ),
    (
        "Maison pour tous Les Glycines",
        "les-glycines",
        "Saulx-la-Rivière",
        12600,
        132000,
        58000,
        ("Département du Val d'Ardoise", 24000),
        2100,
        340,
        (900, 2300),
        "Jardin partagé des Glycines",
    ),
    (
        "Centre social du Moulin Vert",
        "le-moulin-vert",
        "Pont-d'Ardoise",
        None,
        61000,
        19000,
        ("Fondation Horizon Solidaire", 6000),
        720,
        120,
        (300, 650),
        "Ressourcerie du Moulin",
    ),
    (
        "Centre social L'Escale",
        "l-escale",
        "Les Granges-sur-Ardoise",
        6900,
        88000,
        35000,
        ("Caisse locale de retraite", 7500),
        1180,
        190,
        (450, 1100),
        "Association des parents d'élèves",
    ),
)


def federation_centre(row: tuple) -> dict:
    """One centre of the sample federation: its own names and figures, the same shape for all six
    (a centre, its funders, its volunteers, two activities and governance, the families served)."""
    name, slug, town, population, caf, town_hall, (funder, funded), hours, families, (kg, kind), partner = row
    hall = f"Mairie de {town}"
    centre = {
        "name": name,
        "town": town,
        "federation": SAMPLE_FEDERATION,
        "year": 2025,
        "type": "espace de vie sociale" if name.startswith("Espace") else "centre social",
        "volunteer_hourly_rate": 12.02,
        "avertissement": FEDERATION_NOTE,
    }
    if population is not None:
        centre["population"] = population
    return dict(
        name=f"federation/{slug}-fictif",
        centre=centre,
        actors=[
            actor(name, "centre", town=town),
            actor("CAF du Val d'Ardoise", "institutions"),
            actor(hall, "institutions"),
            actor(funder, "financeurs", local="non" if funder.startswith("Fondation") else "oui"),
            actor("Bénévoles", "benevoles", count=hours // 40),
            actor("Équipe salariée", "salaries", count=max(2, caf // 15000)),
            actor("Épicerie du bourg", "entreprises"),
            actor(partner, "associations"),
            actor("Familles du territoire", "habitants", count=families),
        ],
        activities=[
            activity("Accueil et accompagnement des familles", domains="individuel|societal"),
            activity("Animations de quartier", domains="societal|politique", lead=partner),
            activity("Gouvernance", type="support", function="gouvernance", domains="politique"),
        ],
        flows=[
            flow("CAF du Val d'Ardoise", name, "monetaire", caf, "€", data_source="comptabilité"),
            flow(hall, name, "monetaire", town_hall, "€", data_source="comptabilité"),
            flow(funder, name, "monetaire", funded, "€"),
            flow(hall, "Animations de quartier", "lieu", 1, "salle", round(town_hall * 0.12)),
            flow("Bénévoles", "Accueil et accompagnement des familles", "benevolat", round(hours * 0.55), "h"),
            flow("Bénévoles", "Animations de quartier", "benevolat", round(hours * 0.3), "h"),
            flow("Bénévoles", "Gouvernance", "benevolat", hours - round(hours * 0.55) - round(hours * 0.3), "h"),
            flow("Épicerie du bourg", "Animations de quartier", "nature", kg, "kg", kind, data_source="estimation"),
            flow(partner, "Animations de quartier", "competences"),
            flow("Accueil et accompagnement des familles", "Familles du territoire", "service", families, "personnes"),
            flow("Animations de quartier", "Familles du territoire", "service", round(families * 0.6), "personnes"),
            flow(name, partner, "information"),
        ],
        indicators=[
            indicator(
                "societal", "Familles accompagnées", families, "familles", "Accueil et accompagnement des familles"
            ),
        ],
    )


FEDERATION = tuple(federation_centre(row) for row in FEDERATION_CENTRES)

SAMPLES = (CANNERY, SPACES, CRECHE)
ALL = SAMPLES + (TILLEULS, TILLEULS_2024, TILLEULS_2026) + FEDERATION


def build(sample: dict):
    return raw_workbook_from_records(
        sample["name"],
        sample["centre"],
        actors=sample["actors"],
        activities=sample["activities"],
        flows=sample["flows"],
        indicators=sample["indicators"],
        **({"outcomes": sample["outcomes"]} if "outcomes" in sample else {}),
    )


# Every file the same bytes from one run to the next (openpyxl stamps the time of saving).
FIXED_TIME = "2025-01-01T00:00:00Z"


def workbook_file(sample: dict) -> bytes:
    """The sample's .xlsx, byte for byte the same at every run: the document's dates and the
    archive's entries carry one fixed time instead of the time of saving."""
    buffer = io.BytesIO()
    write_raw_workbook(build(sample), "fr").save(buffer)
    fixed = io.BytesIO()
    with zipfile.ZipFile(buffer) as made, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in made.infolist():
            data = made.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED_TIME.encode(), data)
            out.writestr(zipfile.ZipInfo(entry.filename, date_time=(2025, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return fixed.getvalue()


def main(only: list[str]) -> None:
    """Write every sample, or those whose name starts with one of ``only`` (``federation/``)."""
    for sample in ALL:
        if only and not any(sample["name"].startswith(prefix) for prefix in only):
            continue
        path = HERE / f"{sample['name']}.xlsx"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(workbook_file(sample))
        print(path.relative_to(HERE.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
