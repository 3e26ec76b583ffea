"""Demo accounts, one per role, tied to the synthetic population (e-mails @demo.guichet.test)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from guichet.accounts.models import AdvisorAssignment, Role, User
from guichet.candidates.models import Application, ApplicationEvent, CandidateProfile
from guichet.employers.models import Establishment, EstablishmentMembership
from guichet.jobs.models import RomeJob
from guichet.offers.enums import OfferStatus
from guichet.offers.models import Offer
from guichet.territory.models import Basin, BasinGrid, BasinMembership, Commune
from guichet.trainings.models import CentreMembership, TrainingCentre

DEMO_DOMAIN = "demo.guichet.test"
DEMO_PASSWORD = "apprentissage-demo-2026"
ADVISOR_ZONE = "3202"  # zone d'emploi 2020 Amiens
DEMO_JOB = "J1501"  # aide-soignant: the demo journey of issue 3


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    detail: str


def _user(email: str, role: str, first_name: str, password: str, *, superuser: bool = False) -> User:
    user = User.objects.filter(email=email).first() or User(email=email)
    user.role, user.first_name, user.last_name = role, first_name, "(compte de démonstration)"
    user.is_active = True
    user.is_staff = user.is_superuser = superuser
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def create_demo_accounts(*, password: str = DEMO_PASSWORD, today: date | None = None) -> list[DemoAccount]:
    """Create or refresh the six demo accounts. Needs the synthetic population and the zone 3202."""
    today = today or timezone.localdate()
    zone = Basin.objects.filter(grid=BasinGrid.ZONE_EMPLOI, code=ADVISOR_ZONE).first()
    if zone is None:
        raise ValueError(f"Zone d'emploi {ADVISOR_ZONE} absente : chargez d'abord les données de référence.")
    zone_communes = BasinMembership.objects.filter(basin=zone).values("commune_id")
    establishment = (
        Establishment.objects.filter(is_synthetic=True, commune__in=zone_communes).order_by("siret").first()
        or Establishment.objects.filter(is_synthetic=True).order_by("siret").first()
    )
    if establishment is None:
        raise ValueError("Aucun établissement fictif : lancez d'abord generate_demo_population.")
    centre = (
        TrainingCentre.objects.filter(is_synthetic=False, commune__in=zone_communes, trainings__isnull=False)
        .order_by("siret")
        .first()
        or TrainingCentre.objects.filter(is_synthetic=False).order_by("siret").first()
    )
    accounts: list[DemoAccount] = []

    young = _user(f"jeune@{DEMO_DOMAIN}", Role.YOUNG, "Camille", password)
    amiens = Commune.objects.filter(insee="80021").first() or establishment.commune
    CandidateProfile.objects.filter(user=young).delete()
    profile = CandidateProfile.objects.create(
        user=young,
        birth_date=date(today.year - 19, 3, 14),
        commune=amiens,
        mobility_radius_km=30,
        current_level_id=3,
        wished_level_id=4,
        available_from=today,
        visible_to_employers=True,
        visibility_consent_at=timezone.now(),
        is_synthetic=True,
    )
    aide_soignant = RomeJob.objects.filter(code=DEMO_JOB).first()
    if aide_soignant is not None:
        profile.wished_jobs.set([aide_soignant])
    accounts.append(DemoAccount(young.email, Role.YOUNG.label, f"profil de candidat à {amiens.name} (fictif)"))

    employer = _user(f"employeur@{DEMO_DOMAIN}", Role.EMPLOYER, "Dominique", password)
    EstablishmentMembership.objects.filter(user=employer).delete()
    EstablishmentMembership.objects.create(user=employer, establishment=establishment)
    if aide_soignant is not None:
        _demo_employer_offer(establishment=establishment, job=aide_soignant, today=today)
    accounts.append(
        DemoAccount(employer.email, Role.EMPLOYER.label, f"{establishment.name}, SIRET {establishment.siret}")
    )

    staff = _user(f"cfa@{DEMO_DOMAIN}", Role.TRAINING_CENTRE, "Claude", password)
    CentreMembership.objects.filter(user=staff).delete()
    if centre is not None:
        CentreMembership.objects.create(user=staff, centre=centre)
    accounts.append(
        DemoAccount(
            staff.email, Role.TRAINING_CENTRE.label, f"{centre.display_name} (UAI {centre.uai})" if centre else ""
        )
    )

    advisor = _user(f"conseiller@{DEMO_DOMAIN}", Role.ADVISOR, "Alix", password)
    AdvisorAssignment.objects.filter(advisor=advisor).delete()
    AdvisorAssignment.objects.create(advisor=advisor, basin=zone)
    accounts.append(DemoAccount(advisor.email, Role.ADVISOR.label, f"zone d'emploi {zone.code} {zone.name}"))

    analyst = _user(f"analyste@{DEMO_DOMAIN}", Role.ANALYST, "Sacha", password)
    accounts.append(DemoAccount(analyst.email, Role.ANALYST.label, "statistiques agrégées"))

    admin = _user(f"admin@{DEMO_DOMAIN}", Role.ADMIN, "Maxime", password, superuser=True)
    accounts.append(DemoAccount(admin.email, Role.ADMIN.label, "superutilisateur"))
    return accounts


def _demo_employer_offer(*, establishment: Establishment, job: RomeJob, today: date) -> Offer:
    """A published "aide-soignant" offer of the demo employer, with applications of synthetic young people at
    three stages, so that the employer's board and ranked candidates are not empty."""
    offer = Offer.objects.filter(establishment=establishment, rome_job=job, status=OfferStatus.PUBLISHED).first()
    if offer is None:
        offer = Offer.objects.create(
            establishment=establishment,
            rome_job=job,
            title="Aide-soignant / Aide-soignante en apprentissage (données fictives)",
            commune=establishment.commune,
            target_level_id=4,
            starts_on=today + timedelta(days=120),
            duration_months=12,
            positions=2,
            description="Offre fictive du compte de démonstration employeur.",
            status=OfferStatus.PUBLISHED,
            published_at=timezone.now(),
            is_synthetic=True,
        )
    if not offer.applications.exists():
        candidates = CandidateProfile.objects.filter(
            is_synthetic=True, user__isnull=True, visible_to_employers=True, commune__in=_zone_communes()
        ).order_by("pk")[:3]
        paths = (["sent"], ["sent", "seen"], ["sent", "seen", "interview"])
        for profile, path, days in zip(candidates, paths, (1, 4, 9), strict=False):
            sent_on = today - timedelta(days=days)
            application = Application.objects.create(
                candidate=profile,
                offer=offer,
                status=path[-1],
                sent_on=sent_on,
                answered_on=today - timedelta(days=1) if "interview" in path else None,
                is_synthetic=True,
            )
            for step, (origin, target) in enumerate(zip(["", *path[:-1]], path, strict=True)):
                ApplicationEvent.objects.create(
                    application=application,
                    from_status=origin,
                    to_status=target,
                    on=min(today, sent_on + timedelta(days=step * 2)),
                    note="Étape fictive (données de démonstration).",
                )
        for profile in candidates:
            profile.wished_jobs.add(job)
    return offer


def _zone_communes():
    return BasinMembership.objects.filter(basin__grid=BasinGrid.ZONE_EMPLOI, basin__code=ADVISOR_ZONE).values(
        "commune_id"
    )


def accounts_table(accounts: list[DemoAccount], *, password: str) -> str:
    lines = [f"Comptes de démonstration (mot de passe commun : {password}) :"]
    width = max(len(account.email) for account in accounts)
    lines += [f"  {account.email:<{width}}  {account.role:<28} {account.detail}" for account in accounts]
    lines.append(
        "Conseiller et administrateur : à la première connexion, le guichet demande d'activer la double "
        "authentification (une application TOTP sur téléphone, par exemple FreeOTP ou Aegis)."
    )
    return "\n".join(lines)
