"""Jobs of the future: the Region's priority job families, as ROME 4.0 codes.

The Hauts-de-France Region gives priority to three families where employers cannot recruit enough
and where apprenticeship is a real way in: health, early childhood, and care of the elderly
(grand âge / Silver économie). Each family lists ROME 4.0 codes with a one-line reason, chosen by
reading the labels of `data/reference/jobs/rome_arborescence_2024.csv.gz` (version 24M06); the jobs
importer rejects the whole import if a code here is missing from that file, and sets
`RomeJob.future_family` from this mapping (every other job gets an empty family).

Chosen on purpose:
- Only jobs a young person can reach through an apprenticeship contract (a diploma or title open to
  apprenticeship, or a job learnt on the job). Doctors, dentists, pharmacists, midwives (J11, J12) and
  the jobs reached only after years of practice (J1502 cadre de santé, K1403 directeur de structure)
  are left out: no apprenticeship leads to them directly.
- One family per code (the model holds one). When a job belongs to two families, the main one is the
  family of the employers that hire most of its people; the reason says which other family it touches.
"""

from __future__ import annotations

from guichet.jobs.models import FutureFamily

FUTURE_JOBS: dict[FutureFamily, dict[str, str]] = {
    FutureFamily.HEALTH: {
        "J1501": (
            "Aide-soignant : premier métier du soin à l'hôpital et en EHPAD, diplôme d'État (niveau 4) ouvert à "
            "l'apprentissage. Aussi grand âge, mais la majorité des postes sont à l'hôpital : famille santé."
        ),
        "J1506": "Infirmier en soins généraux : diplôme d'État (niveau 6) préparable en apprentissage en IFSI.",
        "J1307": "Préparateur en pharmacie : formé de longue date en apprentissage, en officine et à l'hôpital.",
        "J1305": "Ambulancier : diplôme d'État en moins d'un an, accessible en apprentissage sans le bac.",
        "J1301": (
            "Agent de service hospitalier : entrée dans le soin sans diplôme, tremplin vers aide-soignant. "
            "Aussi en EHPAD, mais rattaché aux services hospitaliers : famille santé."
        ),
        "J1302": "Technicien de laboratoire d'analyses médicales : BTS ou BUT préparés en apprentissage.",
        "J1303": "Assistant médical : titre récent qui libère du temps médical en cabinet, ouvert à l'apprentissage.",
        "J1306": "Manipulateur en radiologie : diplôme d'État ou DTS préparés en apprentissage, métier en tension.",
        "J1308": "Brancardier : métier hospitalier accessible avec une courte formation, recrutements nombreux.",
        "J1309": "Agent de stérilisation : métier hospitalier appris sur le poste, accessible sans diplôme.",
        "J1402": "Diététicien : BTS diététique, souvent préparé en apprentissage.",
        "J1405": "Opticien : BTS opticien-lunetier, très majoritairement préparé en apprentissage.",
        "J1410": "Prothésiste dentaire : du CAP au brevet technique des métiers, formé surtout en apprentissage.",
        "J1411": "Orthoprothésiste : BTS d'appareillage orthopédique, ouvert à l'apprentissage.",
        "M1609": "Secrétaire médical : accueil des cabinets et hôpitaux, titre pro en apprentissage.",
    },
    FutureFamily.EARLY_CHILDHOOD: {
        "J1304": (
            "Auxiliaire de puériculture : diplôme d'État (niveau 4) ouvert à l'apprentissage. Code santé (J), "
            "mais la plupart des postes sont en crèche : famille petite enfance."
        ),
        "J1507": (
            "Infirmier en puériculture : dirige les crèches et les services de PMI. Code santé (J), mais "
            "métier d'encadrement de la petite enfance : famille petite enfance."
        ),
        "K1202": "Éducateur de jeunes enfants : diplôme d'État (niveau 6) préparable en apprentissage, crèches.",
        "K1303": "Garde d'enfant à domicile : premier emploi de la petite enfance, CAP AEPE en apprentissage.",
        "K1307": "Animateur petite enfance : CAP accompagnant éducatif petite enfance, souvent en apprentissage.",
        "K1308": "ATSEM : CAP accompagnant éducatif petite enfance puis concours, dans les écoles maternelles.",
        "K1310": "Assistant maternel agréé : premier mode d'accueil des jeunes enfants, CAP AEPE utile à l'agrément.",
        "K1305": (
            "TISF : diplôme d'État (niveau 4) en apprentissage, soutient surtout les familles avec de jeunes "
            "enfants ; intervient aussi auprès de personnes âgées : famille petite enfance."
        ),
    },
    FutureFamily.ELDERLY_CARE: {
        "K1301": "Accompagnateur médicosocial : diplôme d'État AES (niveau 3) en apprentissage, EHPAD et domicile.",
        "K1302": "Assistant de vie dépendance : titre professionnel ADVF, maintien à domicile des personnes âgées.",
        "K1304": "Aide à domicile : premier métier du maintien à domicile, accessible sans diplôme.",
        "K1306": "Auxiliaire de vie sociale : aide les personnes âgées ou handicapées chez elles, en alternance.",
    },
}


def future_family_by_code() -> dict[str, FutureFamily]:
    """ROME code -> family; raises ValueError if a code is listed in two families."""
    families: dict[str, FutureFamily] = {}
    for family, codes in FUTURE_JOBS.items():
        for code in codes:
            if code in families:
                raise ValueError(f"Le code ROME {code} est dans deux familles : {families[code]} et {family}.")
            families[code] = family
    return families
