"""Demo step of the support app: advisor teams per department, routing rules, requests in every state (some
late), knowledge pages past their review. Everything here is synthetic ("données fictives")."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from guichet.accounts.models import AdvisorAssignment, Role, User
from guichet.contracts.demo.accounts import DEMO_DOMAIN, DEMO_PASSWORD
from guichet.contracts.demo.extensions import DemoContext
from guichet.core.calendar import DayKind, add_working_days
from guichet.support.deadlines import DEFAULT_WORKING_DAYS, answer_deadline
from guichet.support.enums import AuthorKind, ContactPreference, RequesterProfile, RequestStatus, Topic
from guichet.support.models import (
    Absence,
    KnowledgePage,
    KnowledgePageVersion,
    RequestMessage,
    RoutingRule,
    SupportRequest,
    Team,
    TeamMember,
)
from guichet.support.search import page_search_fields, pages_reindex
from guichet.support.services import token_hash, topic_deadlines_ensure
from guichet.territory.models import Basin, BasinGrid, BasinMembership

ADVISOR_PREFIX = "conseil-"
TEAMS_BY_DEPARTMENT = {
    "02": "Équipe Aisne",
    "59": "Équipe Nord",
    "60": "Équipe Oise",
    "62": "Équipe Pas-de-Calais",
    "80": "Équipe Somme",
}
REGIONAL_TEAM = "Équipe régionale handicap et litiges"
FIRST_NAMES = [
    "Alix",
    "Camille",
    "Dominique",
    "Sacha",
    "Morgan",
    "Charlie",
    "Lou",
    "Noa",
    "Eden",
    "Maël",
    "Yanis",
    "Inès",
]
TOPIC_WEIGHTS = {
    Topic.FIND_EMPLOYER: 30,
    Topic.FIND_TRAINING: 15,
    Topic.CONTRACT: 15,
    Topic.PAY_AIDS: 20,
    Topic.DISABILITY: 4,
    Topic.MOBILITY: 7,
    Topic.BREAK_UP: 5,
    Topic.OTHER: 4,
}
QUESTIONS = {
    Topic.FIND_EMPLOYER: "Je cherche une entreprise pour un BTS en alternance, par où commencer ?",
    Topic.FIND_TRAINING: "Quelles formations en apprentissage existent près de chez moi en boulangerie ?",
    Topic.CONTRACT: "Le contrat doit-il être signé avant le début de la formation au CFA ?",
    Topic.PAY_AIDS: "Combien sera payé mon fils de 17 ans en première année d'apprentissage ?",
    Topic.DISABILITY: "Mon fils a une RQTH : peut-il faire un apprentissage après 30 ans ?",
    Topic.MOBILITY: "Existe-t-il une aide pour le logement près de l'entreprise ?",
    Topic.BREAK_UP: "Mon employeur veut arrêter le contrat après deux mois, est-ce possible ?",
    Topic.OTHER: "Comment obtenir la carte d'étudiant des métiers ?",
}
ANSWER = (
    "Bonjour, merci pour votre question. Vous trouverez la réponse détaillée dans nos pages d'information ; "
    "je reste disponible si un point n'est pas clair. (Réponse fictive de démonstration.)"
)


def _department_of_basins() -> dict[int, str]:
    rows = (
        BasinMembership.objects.filter(grid=BasinGrid.ZONE_EMPLOI)
        .values("basin_id", "commune__department__code")
        .annotate(n=Count("id"))
    )
    best: dict[int, tuple[int, str]] = {}
    for row in rows:
        if row["n"] > best.get(row["basin_id"], (0, ""))[0]:
            best[row["basin_id"]] = (row["n"], row["commune__department__code"])
    return {basin_id: code for basin_id, (_, code) in best.items()}


def _advisor(email: str, first_name: str, team_name: str) -> User:
    user = User(email=email, first_name=first_name, last_name=f"({team_name}, fictif)", role=Role.ADVISOR)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


@transaction.atomic
def generate_demo_support(context: DemoContext) -> dict[str, int]:
    rng = context.rng("support")
    today = context.today
    topic_deadlines_ensure()
    basins = list(Basin.objects.filter(grid=BasinGrid.ZONE_EMPLOI))
    department_of = _department_of_basins()
    teams: dict[str, Team] = {}
    members: dict[int, list[User]] = {}
    for code, name in TEAMS_BY_DEPARTMENT.items():
        teams[code] = Team.objects.create(name=name, email=f"equipe-{code}@{DEMO_DOMAIN}", is_synthetic=True)
    regional = Team.objects.create(name=REGIONAL_TEAM, email=f"equipe-regionale@{DEMO_DOMAIN}", is_synthetic=True)
    team_basins: dict[int, list[Basin]] = {}
    for basin in basins:
        team = teams.get(department_of.get(basin.pk, ""), regional)
        RoutingRule.objects.create(basin=basin, topic="", team=team)
        team_basins.setdefault(team.pk, []).append(basin)
    RoutingRule.objects.create(basin=None, topic="", team=regional)
    RoutingRule.objects.create(basin=None, topic=Topic.DISABILITY, team=regional)
    RoutingRule.objects.create(basin=None, topic=Topic.BREAK_UP, team=regional)

    advisors = 0
    for team in [*teams.values(), regional]:
        size = 2 + min(4, len(team_basins.get(team.pk, [])) // 2) if team is not regional else 3
        slug = team.email.split("@")[0].removeprefix("equipe-")
        lead = _advisor(f"{ADVISOR_PREFIX}{slug}-responsable@{DEMO_DOMAIN}", rng.choice(FIRST_NAMES), team.name)
        TeamMember.objects.create(team=team, user=lead, is_lead=True, takes_requests=False)
        team_members = []
        for index in range(1, size + 1):
            user = _advisor(f"{ADVISOR_PREFIX}{slug}-{index}@{DEMO_DOMAIN}", rng.choice(FIRST_NAMES), team.name)
            TeamMember.objects.create(team=team, user=user)
            team_members.append(user)
        zone_list = team_basins.get(team.pk) or basins
        for user in [lead, *team_members]:
            AdvisorAssignment.objects.bulk_create([AdvisorAssignment(advisor=user, basin=b) for b in zone_list])
        advisors += size + 1
        members[team.pk] = team_members
        # One advisor of each team is away this week: assignment skips them.
        Absence.objects.create(
            user=team_members[-1],
            starts_on=today - timedelta(days=2),
            ends_on=today + timedelta(days=5),
            reason="Congés (fictif)",
        )

    # Communes weighted by population, within the region's zones d'emploi.
    memberships = list(
        BasinMembership.objects.filter(grid=BasinGrid.ZONE_EMPLOI, commune__population__gt=0).values_list(
            "commune_id", "basin_id", "commune__population"
        )
    )
    rules = {(rule.basin_id, rule.topic): rule.team for rule in RoutingRule.objects.select_related("team")}
    count = min(600, context.size(3000, minimum=40))
    weights = [row[2] for row in memberships]
    topics = list(TOPIC_WEIGHTS)
    load: Counter[int] = Counter()
    created_requests = 0
    messages: list[RequestMessage] = []
    for index in range(count):
        commune_id, basin_id, _ = rng.choices(memberships, weights=weights)[0]
        topic = rng.choices(topics, weights=[TOPIC_WEIGHTS[t] for t in topics])[0]
        team = rules.get((None, topic)) or rules.get((basin_id, "")) or regional
        age_days = int(rng.triangular(0, 75, 5))
        received_on = today - timedelta(days=age_days)
        created_at = timezone.make_aware(datetime.combine(received_on, time(8 + rng.randrange(10), rng.randrange(60))))
        deadline = answer_deadline(received_on=received_on, working_days=DEFAULT_WORKING_DAYS[topic])
        team_members = members[team.pk]
        advisor = min(team_members, key=lambda user: (load[user.pk], user.pk))
        # The older a request, the likelier it is answered or closed; a few stay late.
        draw = rng.random()
        if age_days <= 1:
            status = RequestStatus.ASSIGNED
        elif deadline < today and draw < 0.08:
            status = RequestStatus.ASSIGNED  # late
        elif draw < 0.18:
            status = RequestStatus.WAITING_REQUESTER
        elif age_days > 20 and draw < 0.75:
            status = RequestStatus.CLOSED
        else:
            status = RequestStatus.ANSWERED if deadline < today or draw < 0.6 else RequestStatus.ASSIGNED
        if index % 4 == 0 and status == RequestStatus.ASSIGNED and deadline >= today:
            status, advisor = RequestStatus.NEW, None  # just arrived, waiting for a team lead to assign it
        first_response_at = answered_on = closed_at = None
        if status in (RequestStatus.ANSWERED, RequestStatus.CLOSED, RequestStatus.WAITING_REQUESTER):
            delay_days = max(0, min(DEFAULT_WORKING_DAYS[topic] + 2, int(rng.expovariate(1 / 1.6))))
            answer_day = add_working_days(received_on, delay_days, kind=DayKind.WORKED) if delay_days else received_on
            answer_day = min(answer_day, today)
            first_response_at = max(
                created_at + timedelta(hours=1),
                timezone.make_aware(datetime.combine(answer_day, time(9 + rng.randrange(8), rng.randrange(60)))),
            )
            if status != RequestStatus.WAITING_REQUESTER:
                answered_on = timezone.localdate(first_response_at)
            if status == RequestStatus.CLOSED:
                closed_at = first_response_at + timedelta(days=rng.randrange(1, 10))
        if status in (RequestStatus.NEW, RequestStatus.ASSIGNED, RequestStatus.WAITING_REQUESTER) and advisor:
            load[advisor.pk] += 1
        support_request = SupportRequest.objects.create(
            reference=f"GA-{received_on.year}-D{index:05d}",
            topic=topic,
            profile=rng.choice(RequesterProfile.values),
            commune_id=commune_id,
            basin_id=basin_id,
            name=f"Demandeur fictif {index + 1}",
            email=f"demandeur-{index + 1}@{DEMO_DOMAIN}",
            contact_preference=ContactPreference.EMAIL,
            status=status,
            team=team,
            advisor=advisor,
            token_hash=token_hash(f"demo-{context.seed}-{index}"),
            created_at=created_at,
            received_on=received_on,
            deadline=deadline,
            first_response_at=first_response_at,
            answered_on=answered_on,
            closed_at=closed_at,
            rating=rng.choice([3, 4, 4, 5, 5, 5, 2]) if closed_at and rng.random() < 0.6 else None,
            escalated_at=created_at
            if status in (RequestStatus.NEW, RequestStatus.ASSIGNED) and deadline < today
            else None,
            is_synthetic=True,
        )
        created_requests += 1
        messages.append(
            RequestMessage(
                request=support_request, author_kind=AuthorKind.REQUESTER, body=QUESTIONS[topic], created_at=created_at
            )
        )
        if first_response_at:
            messages.append(
                RequestMessage(
                    request=support_request,
                    author_kind=AuthorKind.ADVISOR,
                    author=advisor,
                    body=ANSWER,
                    created_at=first_response_at,
                )
            )
    RequestMessage.objects.bulk_create(messages)
    pages = _demo_pages(today=today)
    return {
        "équipes de conseillers": len(teams) + 1,
        "conseillers fictifs": advisors,
        "demandes": created_requests,
        "pages d'exemple à vérifier": pages,
    }


def _demo_pages(*, today) -> int:
    examples = [
        ("exemple-fictif-journee-portes-ouvertes", "Exemple fictif : journées portes ouvertes des CFA", 40),
        ("exemple-fictif-aide-equipement", "Exemple fictif : l'aide au premier équipement", 3),
    ]
    for slug, title, overdue in examples:
        reviewed = today - timedelta(days=180 + overdue)
        body_v1 = "Page d'exemple (données fictives) pour montrer le suivi des vérifications.\n"
        body_v2 = body_v1 + "\nLes dates de cette page doivent être vérifiées auprès du service concerné.\n"
        page = KnowledgePage(
            slug=slug,
            title=title,
            summary="Page d'exemple de la démonstration, dont la date de vérification est dépassée.",
            body=body_v2,
            sources="Données fictives de démonstration",
            audiences=["jeunes", "familles"],
            topics=[Topic.OTHER],
            owner_label="Service apprentissage (fictif)",
            last_reviewed_on=reviewed,
            next_review_on=today - timedelta(days=overdue),
            is_synthetic=True,
            **page_search_fields(title=title, summary="Page d'exemple", body=body_v2),
        )
        page.save()
        for number, body in ((1, body_v1), (2, body_v2)):
            KnowledgePageVersion.objects.create(
                page=page,
                number=number,
                title=title,
                summary=page.summary,
                body=body,
                sources=page.sources,
                changed_by_label="Rédaction (fictif)",
                changed_at=timezone.make_aware(datetime.combine(reviewed - timedelta(days=3 - number), time(10))),
                note="Création" if number == 1 else "Ajout d'un rappel",
            )
    pages_reindex(KnowledgePage.objects.filter(is_synthetic=True))
    return len(examples)


@transaction.atomic
def delete_demo_support() -> dict[str, int]:
    requests = SupportRequest.objects.filter(is_synthetic=True)
    request_count = requests.count()
    requests.delete()
    teams = Team.objects.filter(is_synthetic=True)
    team_count = teams.count()
    teams.delete()
    advisors = User.objects.filter(email__startswith=ADVISOR_PREFIX, email__endswith=f"@{DEMO_DOMAIN}")
    advisor_count = advisors.count()
    advisors.delete()
    pages = KnowledgePage.objects.filter(is_synthetic=True)
    page_count = pages.count()
    pages.delete()
    return {
        "demandes (avec leurs messages)": request_count,
        "équipes de conseillers": team_count,
        "conseillers fictifs": advisor_count,
        "pages d'exemple": page_count,
    }
