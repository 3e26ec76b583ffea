"""The living market of the demo: in every zone d'emploi of Hauts-de-France, published offers, trainings with
places and an upcoming session, young people with visible profiles, and applications at every stage of their
workflow (including employers who never answer, reminded then escalated), with their dated events.

Part of the ONE generator (generator.Generator.run calls `generate_market` after the contracts). It draws from
its own random generator (seed + "market"), so the rows generated before it do not change; deterministic for a
seed and the same reference data. All rows are synthetic (deleted with the offers and profiles).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from guichet.candidates.enums import ApplicationStatus as S
from guichet.candidates.enums import EventKind, RefusalReason, WithdrawalReason
from guichet.candidates.models import Application, ApplicationEvent, CandidateProfile
from guichet.core.calendar import add_working_days
from guichet.employers.models import Establishment
from guichet.jobs.models import RomeJob
from guichet.offers.enums import OfferStatus
from guichet.offers.models import Offer
from guichet.territory.models import Basin, BasinGrid, BasinMembership
from guichet.trainings.models import Certification, Training, TrainingCentre, TrainingSession
from guichet.trainings.slots import training_slots_refresh

PARIS = ZoneInfo("Europe/Paris")
BATCH = 2000
MIN_PUBLISHED_OFFERS = 8  # per zone d'emploi
MIN_VISIBLE_CANDIDATES = 6
MIN_TRAININGS_WITH_PLACES = 2
# The double match: in each zone, the jobs offered most often (and every job of the future offered there) get
# a training that prepares them, with places and an upcoming session, at a real centre of the zone.
DOUBLE_MATCH_JOBS_PER_ZONE = 6
# Share of the young people who applied somewhere, and how many applications each (UNSOURCED demo choices).
APPLYING_SHARE = 0.5
APPLICATIONS_PER_PERSON = (1, 4)
# Stage reached by an application (UNSOURCED demo choices; "silent" = never answered, old enough to have been
# reminded, escalated or closed "sans réponse").
STAGE_WEIGHTS = {
    "sent": 20,
    "silent": 12,
    "seen": 12,
    "interview": 14,
    "accepted": 6,
    "contract_signed": 5,
    "refused": 20,
    "withdrawn": 6,
    "no_response": 5,
}
REFUSALS = (RefusalReason.PROFILE, RefusalReason.LEVEL, RefusalReason.DISTANCE, RefusalReason.DATES,
            RefusalReason.FILLED, RefusalReason.NO_TRAINING)  # fmt: skip


@dataclass
class MarketSummary:
    offers_published: int = 0
    trainings_opened: int = 0
    trainings_for_offered_jobs: int = 0
    profiles_made_visible: int = 0
    applications: int = 0
    events: int = 0
    zones: int = 0


def aware(day: date, rng: random.Random) -> datetime:
    """A moment of office hours on `day`, in Paris time (for generated publication and event dates)."""
    return datetime.combine(day, clock(rng.randint(8, 18), rng.randint(0, 59)), tzinfo=PARIS)


def generate_market(*, seed: int, today: date) -> MarketSummary:
    rng = random.Random(f"{seed}:market")
    summary = MarketSummary()
    zones = list(Basin.objects.filter(grid=BasinGrid.ZONE_EMPLOI).order_by("code").values_list("pk", "code"))
    zone_of = dict(
        BasinMembership.objects.filter(grid=BasinGrid.ZONE_EMPLOI).order_by().values_list("commune_id", "basin_id")
    )
    summary.zones = len(zones)

    # 1. Published offers in every zone: publish drafts, or copy an establishment's job into a new offer.
    offers_by_zone: dict[int, list[Offer]] = defaultdict(list)
    drafts_by_zone: dict[int, list[Offer]] = defaultdict(list)
    for offer in Offer.objects.filter(is_synthetic=True).order_by("pk"):
        zone = zone_of.get(offer.commune_id)
        if offer.status == OfferStatus.PUBLISHED:
            offers_by_zone[zone].append(offer)
        elif offer.status == OfferStatus.DRAFT:
            drafts_by_zone[zone].append(offer)
    now = aware(today, rng)
    to_publish: list[Offer] = []
    for zone, _code in zones:
        missing = MIN_PUBLISHED_OFFERS - len(offers_by_zone[zone])
        for offer in drafts_by_zone[zone][: max(0, missing)]:
            offer.status, offer.published_at = OfferStatus.PUBLISHED, now - timedelta(days=rng.randint(0, 30))
            offer.starts_on = max(offer.starts_on, today + timedelta(days=rng.randint(20, 200)))
            to_publish.append(offer)
            offers_by_zone[zone].append(offer)
    Offer.objects.bulk_update(to_publish, ["status", "published_at", "starts_on"], batch_size=BATCH)
    # Zones still short of offers: new offers by the zone's establishments, on the jobs of existing offers.
    templates = [offer for offers in offers_by_zone.values() for offer in offers]
    establishments_by_zone: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pk, commune_id in (
        Establishment.objects.filter(is_synthetic=True).order_by("pk").values_list("pk", "commune_id")
    ):
        establishments_by_zone[zone_of.get(commune_id)].append((pk, commune_id))
    created: list[Offer] = []
    for zone, _code in zones:
        if not templates or not establishments_by_zone[zone]:
            continue
        for _ in range(max(0, MIN_PUBLISHED_OFFERS - len(offers_by_zone[zone]))):
            template = rng.choice(templates)
            establishment_id, commune_id = rng.choice(establishments_by_zone[zone])
            offer = Offer(
                establishment_id=establishment_id,
                rome_job_id=template.rome_job_id,
                appellation_id=template.appellation_id,
                title=template.title,
                commune_id=commune_id,
                target_level_id=template.target_level_id,
                starts_on=today + timedelta(days=rng.randint(20, 200)),
                duration_months=template.duration_months,
                weekly_hours=template.weekly_hours,
                positions=1,
                description=template.description,
                driving_licence_required=template.driving_licence_required,
                status=OfferStatus.PUBLISHED,
                published_at=now - timedelta(days=rng.randint(0, 30)),
                is_synthetic=True,
            )
            created.append(offer)
            offers_by_zone[zone].append(offer)
    Offer.objects.bulk_create(created, batch_size=BATCH)
    summary.offers_published = len(to_publish) + len(created)

    # 2. Trainings with places and an upcoming session in every zone where centres train.
    upcoming = set(
        TrainingSession.objects.filter(training__is_synthetic=True, starts_on__gt=today).values_list(
            "training_id", flat=True
        )
    )
    trainings_by_zone: dict[int, list[Training]] = defaultdict(list)
    for training in Training.objects.filter(is_synthetic=True).order_by("pk"):
        trainings_by_zone[zone_of.get(training.commune_id)].append(training)
    opened: list[Training] = []
    for zone, _code in zones:
        pool = [t for t in trainings_by_zone[zone] if t.pk in upcoming]
        with_places = [t for t in pool if t.remaining_places > 0]
        for training in [t for t in pool if t.remaining_places == 0][
            : max(0, MIN_TRAININGS_WITH_PLACES - len(with_places))
        ]:
            training.remaining_places = rng.randint(1, max(1, training.total_places // 2))
            opened.append(training)
    Training.objects.bulk_update(opened, ["remaining_places"], batch_size=BATCH)
    training_slots_refresh(training_ids=[training.pk for training in opened])  # the search's index
    summary.trainings_opened = len(opened)

    summary.trainings_for_offered_jobs = _trainings_for_offered_jobs(
        zones=zones, zone_of=zone_of, offers_by_zone=offers_by_zone, today=today, rng=rng
    )

    # 3. Visible profiles in every zone (consent recorded at the same time).
    profiles_by_zone: dict[int, list[CandidateProfile]] = defaultdict(list)
    for profile in CandidateProfile.objects.filter(is_synthetic=True, user__isnull=True).order_by("pk"):
        profiles_by_zone[zone_of.get(profile.commune_id)].append(profile)
    made_visible: list[CandidateProfile] = []
    for zone, _code in zones:
        visible = [p for p in profiles_by_zone[zone] if p.visible_to_employers]
        for profile in [p for p in profiles_by_zone[zone] if not p.visible_to_employers][
            : max(0, MIN_VISIBLE_CANDIDATES - len(visible))
        ]:
            profile.visible_to_employers, profile.visibility_consent_at = (
                True,
                now - timedelta(days=rng.randint(1, 60)),
            )
            made_visible.append(profile)
    CandidateProfile.objects.bulk_update(
        made_visible, ["visible_to_employers", "visibility_consent_at"], batch_size=BATCH
    )
    summary.profiles_made_visible = len(made_visible)

    # 4. Applications at every stage, each with its dated events.
    stages = list(STAGE_WEIGHTS)
    weights = list(STAGE_WEIGHTS.values())
    applications: list[Application] = []
    steps: list[list[tuple[str, str, str, date, str]]] = []  # (kind, from, to, on, note) per application
    for zone, _code in zones:
        offers = offers_by_zone[zone]
        if not offers:
            continue
        for profile in profiles_by_zone[zone]:
            if rng.random() >= APPLYING_SHARE:
                continue
            chosen = rng.sample(offers, min(len(offers), rng.randint(*APPLICATIONS_PER_PERSON)))
            signed = False
            for offer in chosen:
                stage = rng.choices(stages, weights=weights)[0]
                if stage == "contract_signed" and signed:
                    stage = "interview"
                signed = signed or stage == "contract_signed"
                application, history = _application(profile, offer, stage, today=today, rng=rng)
                applications.append(application)
                steps.append(history)
    Application.objects.bulk_create(applications, batch_size=BATCH)
    events = [
        ApplicationEvent(
            application_id=application.pk, kind=kind, from_status=origin, to_status=target, on=on, note=note
        )
        for application, history in zip(applications, steps, strict=True)
        for kind, origin, target, on, note in history
    ]
    ApplicationEvent.objects.bulk_create(events, batch_size=BATCH)
    summary.applications, summary.events = len(applications), len(events)
    return summary


def _application(
    profile: CandidateProfile, offer: Offer, stage: str, *, today: date, rng: random.Random
) -> tuple[Application, list[tuple[str, str, str, date, str]]]:
    fictive = "Étape fictive (données de démonstration)."
    if stage == "sent":
        sent_on = today - timedelta(days=rng.randint(0, 5))
    elif stage in ("silent", "no_response"):
        sent_on = today - timedelta(days=rng.randint(16, 30) if stage == "no_response" else rng.randint(8, 15))
    else:
        sent_on = today - timedelta(days=rng.randint(3, 60))
    history = [(EventKind.TRANSITION, "", S.SENT, sent_on, fictive)]
    application = Application(candidate=profile, offer=offer, sent_on=sent_on, is_synthetic=True, status=S.SENT)
    if stage in ("silent", "no_response"):
        reminder, escalation, closure = (add_working_days(sent_on, n) for n in (5, 10, 15))
        if reminder <= today:
            application.reminded_on = reminder
            history.append((EventKind.REMINDER, "", "", reminder, "Relance de l'employeur (sans réponse)."))
        if escalation <= today:
            application.escalated_on = escalation
            history.append((EventKind.ESCALATION, "", "", escalation, "Transmise au conseiller de la zone."))
        if stage == "no_response" and closure <= today:
            application.status, application.reason, application.closed_on = (
                S.REFUSED,
                RefusalReason.NO_RESPONSE,
                closure,
            )
            history.append((EventKind.TRANSITION, S.SENT, S.REFUSED, closure, "Clôture automatique : sans réponse."))
        return application, history
    path = {
        "sent": [],
        "seen": [S.SEEN],
        "interview": [S.SEEN, S.INTERVIEW],
        "accepted": [S.SEEN, S.INTERVIEW, S.ACCEPTED],
        "contract_signed": [S.SEEN, S.INTERVIEW, S.ACCEPTED, S.CONTRACT_SIGNED],
        "refused": [S.SEEN, S.REFUSED],
        "withdrawn": [S.WITHDRAWN],
    }[stage]
    day, origin = sent_on, S.SENT
    for target in path:
        day = min(today, add_working_days(day, rng.randint(1, 4)))
        history.append((EventKind.TRANSITION, origin, target, day, fictive))
        if target in (S.INTERVIEW, S.ACCEPTED, S.REFUSED) and application.answered_on is None:
            application.answered_on = day
        origin = target
    application.status = origin
    if origin == S.REFUSED:
        application.reason = rng.choice(REFUSALS)
    elif origin == S.WITHDRAWN:
        application.reason = WithdrawalReason.YOUNG_CHOICE
    if origin in (S.CONTRACT_SIGNED, S.REFUSED, S.WITHDRAWN):
        application.closed_on = day
    return application, history


def _trainings_for_offered_jobs(
    *,
    zones: list[tuple[int, str]],
    zone_of: dict[int, int],
    offers_by_zone: dict[int, list[Offer]],
    today: date,
    rng: random.Random,
) -> int:
    """Give the offers of each zone the other half of the double match: for the zone's most offered jobs and
    its jobs of the future, a training preparing the job (a real Certif Info certification listing that ROME
    code, open to apprenticeship when one is) with places and a session starting within the year, at a real
    centre of the zone. Jobs already prepared in the zone with places are left alone."""
    prepared = defaultdict(set)  # zone -> ROME job ids with places and an upcoming session
    for commune_id, job_id in Training.objects.filter(
        remaining_places__gt=0, sessions__starts_on__gt=today
    ).values_list("commune_id", "rome_jobs"):
        prepared[zone_of.get(commune_id)].add(job_id)
    future = set(RomeJob.objects.exclude(future_family="").values_list("pk", flat=True))
    centres_by_zone: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pk, commune_id in (
        TrainingCentre.objects.filter(is_synthetic=False).order_by("pk").values_list("pk", "commune_id")
    ):
        centres_by_zone[zone_of.get(commune_id)].append((pk, commune_id))
    certifications: dict[int, list[tuple[int, str, int | None, bool]]] = defaultdict(list)
    for pk, title, level_id, access, job_id in (
        Certification.objects.filter(rome_jobs__isnull=False)
        .order_by("pk")
        .values_list("pk", "title", "level_id", "apprenticeship_access", "rome_jobs")
    ):
        certifications[job_id].append((pk, title, level_id, access))

    new_trainings: list[tuple[Training, int]] = []
    for zone, _code in zones:
        centres = centres_by_zone.get(zone)
        if not centres:
            continue
        counts: dict[int, int] = defaultdict(int)
        levels: dict[int, int | None] = {}
        for offer in offers_by_zone.get(zone, []):
            counts[offer.rome_job_id] += 1
            levels.setdefault(offer.rome_job_id, offer.target_level_id)
        ranked = sorted(counts, key=lambda job: (-counts[job], job))
        wanted = ranked[:DOUBLE_MATCH_JOBS_PER_ZONE] + [job for job in ranked if job in future]
        for job_id in dict.fromkeys(wanted):
            if job_id in prepared[zone] or not certifications.get(job_id):
                continue
            options = certifications[job_id]
            open_to_apprentices = [option for option in options if option[3]] or options
            target = levels.get(job_id)
            pk, title, level_id, _access = min(
                open_to_apprentices, key=lambda option: (abs((option[2] or 4) - (target or 4)), option[0])
            )
            centre_id, commune_id = rng.choice(centres)
            total = rng.randint(8, 24)
            training = Training(
                centre_id=centre_id,
                certification_id=pk,
                title=f"{title[:480]} (données fictives)",
                level_id=level_id or target,
                commune_id=commune_id,
                total_places=total,
                remaining_places=rng.randint(2, total),
                duration_months=24,
                rhythm="2 jours en centre, 3 jours en entreprise",
                is_synthetic=True,
            )
            new_trainings.append((training, job_id))
            prepared[zone].add(job_id)
    Training.objects.bulk_create([training for training, _ in new_trainings], batch_size=BATCH)
    links = Training.rome_jobs.through
    links.objects.bulk_create(
        [links(training_id=training.pk, romejob_id=job_id) for training, job_id in new_trainings], batch_size=BATCH
    )
    sessions = []
    for training, _job_id in new_trainings:
        starts_on = today + timedelta(days=rng.randint(15, 300))
        sessions.append(
            TrainingSession(training=training, starts_on=starts_on, ends_on=starts_on + timedelta(days=730))
        )
    TrainingSession.objects.bulk_create(sessions, batch_size=BATCH)
    training_slots_refresh(training_ids=[training.pk for training, _ in new_trainings])  # the search's index
    return len(new_trainings)
