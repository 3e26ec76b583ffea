"""Generate a synthetic ("données fictives") population of employers, trainings, offers, young people and past
contracts, calibrated on published figures (see calibration.py and docs/synthetic-population.md).

Deterministic: everything is drawn from one `random.Random(seed)` and every query that feeds a draw is ordered,
so the same seed, scale and reference data give the same rows. Every generated row has is_synthetic=True;
a new run first deletes the previous synthetic rows, in the same transaction, and never touches real
reference data (NAF codes, communes, real training centres, certifications).
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from guichet.candidates.models import CandidateProfile
from guichet.contracts.demo import calibration as cal
from guichet.contracts.demo.extensions import DemoContext, demo_steps
from guichet.contracts.demo.market import aware, generate_market
from guichet.contracts.enums import BreakReason, ContractKind, EmployerSector, Sex, age_band_for
from guichet.contracts.models import Contract
from guichet.core.text import search_key
from guichet.employers.enums import HeadcountBand, NafLevel
from guichet.employers.models import Company, Establishment, EstablishmentCensus, NafActivity
from guichet.employers.validators import LA_POSTE_SIREN, luhn_check_digit
from guichet.jobs.models import Appellation, RomeJob
from guichet.offers.enums import OfferStatus
from guichet.offers.models import Offer
from guichet.rules.base import add_months
from guichet.territory.models import Commune, CommuneKind
from guichet.trainings.kinds import RULES_BY_KIND, CentreKind, centre_kind
from guichet.trainings.models import Certification, Training, TrainingCentre, TrainingSession
from guichet.trainings.slots import training_slots_refresh

T = TypeVar("T")
BATCH = 2000
SYNTHETIC_LABEL = "données fictives"

RHYTHMS = (
    "1 semaine en centre de formation, 2 semaines en entreprise",
    "1 semaine en centre de formation, 3 semaines en entreprise",
    "2 jours en centre de formation, 3 jours en entreprise",
    "2 semaines en centre de formation, 2 semaines en entreprise",
)
TRAININGS_PER_CENTRE: dict[str, tuple[int, int]] = {
    CentreKind.UNIVERSITY: (3, 8),
    CentreKind.AGRICULTURE: (2, 5),
    CentreKind.LYCEE: (1, 3),
    CentreKind.CRAFTS: (4, 9),
    CentreKind.TRANSPORT: (2, 5),
    CentreKind.BUILDING: (3, 7),
    CentreKind.INDUSTRY: (3, 7),
    CentreKind.OTHER: (1, 5),
}
# Usual length of the apprenticeship cycle by level, in months (UNSOURCED: CAP, BP, BTS in 2 years,
# licence professionnelle in 1, master in 2).
DURATION_BY_LEVEL = {3: (24, 12), 4: (24, 36), 5: (24,), 6: (12, 36), 7: (24,), 8: (36,)}


class DemoError(Exception):
    pass


@dataclass
class DemoSummary:
    seed: int
    scale: str
    ratio: float
    fraction: float
    counts: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    checks: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def as_text(self) -> str:
        lines = [
            f"Population de démonstration ({SYNTHETIC_LABEL}) : graine {self.seed}, échelle {self.scale}, "
            f"{self._ratio_text()}.",
            "Lignes créées :",
        ]
        lines += [f"  {name:<38} {count:>9}" for name, count in self.counts.items()]
        if any(self.deleted.values()):
            removed = ", ".join(f"{name} {count}" for name, count in self.deleted.items() if count)
            lines.append(f"Population fictive précédente supprimée : {removed}.")
        if self.checks:
            lines.append("Contrôles de calage :")
            lines += [f"  {name} : {value}" for name, value in self.checks.items()]
        lines.append(f"Durée : {self.seconds:.1f} s.")
        return "\n".join(lines)

    def _ratio_text(self) -> str:
        perimeter = "des Hauts-de-France" if self.scale == "region" else "nationales"
        text = f"1/{round(1 / self.ratio)} des grandeurs réelles {perimeter}"
        if self.fraction != 1:
            text += f", réduit encore d'un facteur {self.fraction:g}"
        return text


def weighted_sampler(rng: random.Random, items: Sequence[T], weights: Sequence[float]):
    """A function drawing one item with the given weights (cumulative weights computed once)."""
    cumulative = list(itertools.accumulate(weights))
    total = cumulative[-1]

    def draw() -> T:
        return items[bisect.bisect_right(cumulative, rng.random() * total)]

    return draw


class SiretFactory:
    """Valid, unique SIRENs and SIRETs: 8 random digits + Luhn key, then a NIC whose last digit makes the
    whole SIRET pass Luhn. Numbers already in the database are avoided; La Poste's SIREN is never drawn."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.sirens: set[str] = set(Company.objects.values_list("siren", flat=True))
        self.sirens |= {siret[:9] for siret in Establishment.objects.values_list("siret", flat=True)}
        self.sirens.add(LA_POSTE_SIREN)

    def siren(self) -> str:
        while True:
            base = f"{self.rng.randint(10_000_000, 99_999_999)}"
            siren = base + luhn_check_digit(base)
            if siren not in self.sirens:
                self.sirens.add(siren)
                return siren

    @staticmethod
    def siret(siren: str, index: int) -> str:
        """The SIRET of the `index`-th establishment (1-based) of a company."""
        nic = f"{index:04d}"
        return siren + nic + luhn_check_digit(siren + nic)


@dataclass
class Generator:
    seed: int
    scale: str = "region"
    fraction: float = 1.0
    today: date = field(default_factory=timezone.localdate)
    verbose: bool = False

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.plan = cal.scale_plan(self.scale, fraction=self.fraction)
        self.summary = DemoSummary(seed=self.seed, scale=self.scale, ratio=self.plan.ratio, fraction=self.fraction)

    # --- entry point ------------------------------------------------------------------------------------------
    def run(self) -> DemoSummary:
        started = time.monotonic()
        self._check_reference_data()
        context = DemoContext(
            seed=self.seed, scale=self.scale, ratio=self.plan.ratio, fraction=self.fraction, today=self.today
        )
        with transaction.atomic():
            self.summary.deleted = {}
            for step in reversed(demo_steps()):
                self.summary.deleted.update(step.delete())
            self.summary.deleted.update(delete_synthetic_population())
            self._load_reference()
            self._generate_establishments()
            self._generate_trainings()
            self._generate_offers()
            self._generate_candidates()
            self._generate_contracts()
            self._generate_market()
            for step in demo_steps():
                self.summary.counts.update(step.generate(context))
        self.summary.seconds = time.monotonic() - started
        return self.summary

    # --- reference data ---------------------------------------------------------------------------------------
    def _check_reference_data(self) -> None:
        missing = [
            label
            for label, exists in (
                ("recensement des établissements (jeu « employers »)", EstablishmentCensus.objects.exists()),
                ("codes NAF (jeu « employers »)", NafActivity.objects.exists()),
                (
                    "centres de formation (jeu « trainings »)",
                    TrainingCentre.objects.filter(is_synthetic=False).exists(),
                ),
                ("certifications (jeu « trainings »)", Certification.objects.exists()),
                ("métiers ROME (jeu « jobs »)", RomeJob.objects.exists()),
            )
            if not exists
        ]
        if missing:
            raise DemoError(
                "Données de référence absentes : " + ", ".join(missing) + ". Lancez d'abord import_reference_data."
            )

    def _load_reference(self) -> None:
        rng = self.rng
        hdf_communes = list(
            Commune.objects.filter(department__code__in=cal.HDF_DEPARTMENTS, kind=CommuneKind.COMMUNE)
            .order_by("insee")
            .values_list("id", "department__code", "population")
        )
        self.department_of = {pk: dept for pk, dept, _ in hdf_communes}
        populated = [(pk, population) for pk, _, population in hdf_communes if population]
        self.draw_home_commune = weighted_sampler(rng, [pk for pk, _ in populated], [pop for _, pop in populated])

        subclasses = list(
            NafActivity.objects.filter(level=NafLevel.SUBCLASS).order_by("code").values_list("id", "code")
        )
        self.naf_code = dict(subclasses)
        sectors, weights, naf_by_sector = [], [], {}
        for sector, (weight, divisions) in cal.SECTOR_WEIGHTS.items():
            codes = [pk for pk, code in subclasses if int(code[:2]) in divisions]
            if codes:
                sectors.append(sector)
                weights.append(weight)
                naf_by_sector[sector] = codes
        self.naf_by_sector = naf_by_sector
        self.draw_sector = weighted_sampler(rng, sectors, weights)

        self.job_ids = dict(RomeJob.objects.order_by("code").values_list("code", "id"))
        common = [(self.job_ids[code], weight) for code, weight in cal.COMMON_APPRENTICESHIP_JOBS.items()
                  if code in self.job_ids]  # fmt: skip
        self.draw_common_job = weighted_sampler(rng, [pk for pk, _ in common], [weight for _, weight in common])
        self.appellations: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for pk, job_id, title in Appellation.objects.order_by("ogr_code").values_list("id", "job_id", "title"):
            self.appellations[job_id].append((pk, title))
        self.job_titles = dict(RomeJob.objects.values_list("id", "title"))

        self.draw_level = weighted_sampler(rng, list(cal.LEVEL_WEIGHTS), list(cal.LEVEL_WEIGHTS.values()))
        bands = list(cal.AGE_BAND_WEIGHTS)
        self.draw_age_band = weighted_sampler(rng, bands, list(cal.AGE_BAND_WEIGHTS.values()))

    def draw_age(self) -> int:
        low, high = self.draw_age_band()
        return self.rng.randint(low, high)

    # --- employers --------------------------------------------------------------------------------------------
    def _generate_establishments(self) -> None:
        """Establishments in real communes and size bands, drawn in proportion to the INSEE 2014 counts."""
        rng = self.rng
        census = list(
            EstablishmentCensus.objects.filter(vintage=2014, count__gt=0, commune_id__in=self.department_of)
            .order_by("commune__insee", "headcount_band")
            .values_list("commune_id", "headcount_band", "count")
        )
        if not census:
            raise DemoError("Le recensement des établissements ne couvre aucune commune des Hauts-de-France.")
        draw_cell = weighted_sampler(rng, [(c, b) for c, b, _ in census], [n for _, _, n in census])
        sirets = SiretFactory(rng)
        n = self.plan.establishments
        networks: list[tuple[Company, list[int]]] = []  # multi-site companies and their next NIC
        companies: list[Company] = []
        establishments: list[Establishment] = []
        large = {HeadcountBand.FROM_10_TO_19, HeadcountBand.FROM_20_TO_49, HeadcountBand.FROM_50_TO_99,
                 HeadcountBand.FROM_100_TO_199, HeadcountBand.FROM_200_TO_499, HeadcountBand.FROM_500}  # fmt: skip
        network_count = max(1, n // 200)
        for index in range(n):
            commune_id, band = draw_cell()
            sector = self.draw_sector()
            naf_id = rng.choice(self.naf_by_sector[sector])
            # UNSOURCED: a third of the establishments of 10 employees or more belong to a multi-site company.
            if band in large and rng.random() < 1 / 3:
                if len(networks) < network_count:
                    siren = sirets.siren()
                    company = Company(
                        siren=siren,
                        name=f"Groupe fictif {len(networks) + 1:04d}",
                        headcount_band=HeadcountBand.FROM_500,
                        is_synthetic=True,
                    )
                    companies.append(company)
                    networks.append((company, [1]))
                company, next_nic = networks[rng.randrange(len(networks))]
                siret = sirets.siret(company.siren, next_nic[0])
                next_nic[0] += 1
                name = f"{company.name} – site {next_nic[0] - 1}"
            else:
                company = Company(
                    siren=sirets.siren(),
                    name=f"Entreprise fictive {index + 1:06d}",
                    headcount_band=band,
                    is_synthetic=True,
                )
                companies.append(company)
                siret = sirets.siret(company.siren, 1)
                name = company.name
            establishments.append(
                Establishment(
                    siret=siret,
                    company=company,
                    name=f"{name} ({sector})",
                    naf_id=naf_id,
                    headcount_band=band,
                    commune_id=commune_id,
                    is_synthetic=True,
                )
            )
        Company.objects.bulk_create(companies, batch_size=BATCH)
        for establishment in establishments:
            establishment.company_id = establishment.company.pk
        Establishment.objects.bulk_create(establishments, batch_size=BATCH)
        self.establishments = establishments
        self.summary.counts["entreprises"] = len(companies)
        self.summary.counts["établissements"] = len(establishments)

        # Indexes for the contracts: by size group, and by (department, size group).
        self.size_groups = list(cal.SIZE_GROUP_WEIGHTS)
        self.by_group: dict[int, list[Establishment]] = defaultdict(list)
        self.by_dept_group: dict[tuple[str, int], list[Establishment]] = defaultdict(list)
        for establishment in establishments:
            group = next(i for i, bands in enumerate(self.size_groups) if establishment.headcount_band in bands)
            self.by_group[group].append(establishment)
            self.by_dept_group[(self.department_of[establishment.commune_id], group)].append(establishment)

    # --- trainings --------------------------------------------------------------------------------------------
    def _certification_pools(self) -> tuple[dict[str, dict[int, list[int]]], dict[int, list[int]]]:
        """Certifications open to apprenticeship with a level and a loaded ROME job, per centre kind and level."""
        rows = list(
            Certification.objects.filter(apprenticeship_access=True, level__isnull=False)
            .annotate(jobs=Count("rome_jobs"))
            .filter(jobs__gt=0)
            .order_by("code_certifinfo")
            .values_list("id", "level_id", "diploma_type")
        )
        self.certification_jobs: dict[int, list[int]] = defaultdict(list)
        through = Certification.rome_jobs.through
        for cert_id, job_id in through.objects.order_by("certification_id", "romejob_id").values_list(
            "certification_id", "romejob_id"
        ):
            self.certification_jobs[cert_id].append(job_id)
        job_codes = {pk: code for code, pk in self.job_ids.items()}
        generic: dict[int, list[int]] = defaultdict(list)
        by_kind: dict[str, dict[int, list[int]]] = {kind: defaultdict(list) for kind in CentreKind.values}
        for cert_id, level, diploma_type in rows:
            generic[level].append(cert_id)
            folded = search_key(diploma_type)
            for kind, rule in RULES_BY_KIND.items():
                if level not in rule.level_weights:
                    continue
                if rule.diploma_types and not any(word in folded for word in rule.diploma_types):
                    continue
                if rule.rome_prefixes and not any(
                    job_codes[job].startswith(rule.rome_prefixes) for job in self.certification_jobs[cert_id]
                ):
                    continue
                by_kind[kind][level].append(cert_id)
        return by_kind, generic

    def _generate_trainings(self) -> None:
        """Synthetic trainings, sessions and places attached to the REAL training centres."""
        rng = self.rng
        by_kind, generic = self._certification_pools()
        if not generic:
            raise DemoError("Aucune certification ouverte à l'apprentissage avec un niveau et un métier ROME.")
        certifications = {
            pk: (title, level)
            for pk, title, level in Certification.objects.filter(pk__in={c for p in generic.values() for c in p})
            .order_by("pk")
            .values_list("pk", "title", "level_id")
        }
        centres = list(
            TrainingCentre.objects.filter(is_synthetic=False)
            .order_by("siret")
            .values_list("id", "name", "sign", "nature", "commune_id")
        )
        if self.plan.centre_share < 1:
            centres = rng.sample(centres, max(3, math.ceil(len(centres) * self.plan.centre_share)))
        trainings: list[Training] = []
        training_jobs: list[list[int]] = []
        for centre_id, name, sign, nature, commune_id in centres:
            kind = centre_kind(name, sign)
            rule = RULES_BY_KIND[kind]
            low, high = TRAININGS_PER_CENTRE[kind]
            count = 1 if nature == "responsable" else rng.randint(low, high)
            levels = list(rule.level_weights)
            used: set[int] = set()
            for _ in range(count):
                level = rng.choices(levels, weights=list(rule.level_weights.values()))[0]
                pool = by_kind[kind].get(level) or generic.get(level) or generic[min(generic)]
                cert_id = rng.choice(pool)
                if cert_id in used:
                    continue
                used.add(cert_id)
                title, cert_level = certifications[cert_id]
                total = rng.randint(8, 30 if kind == CentreKind.UNIVERSITY else 18)
                trainings.append(
                    Training(
                        centre_id=centre_id,
                        certification_id=cert_id,
                        title=title,
                        level_id=cert_level,
                        commune_id=commune_id,
                        total_places=total,
                        remaining_places=rng.randint(0, total),
                        duration_months=rng.choice(DURATION_BY_LEVEL.get(cert_level, (24,))),
                        rhythm=rng.choice(RHYTHMS),
                        is_synthetic=True,
                    )
                )
                training_jobs.append(self.certification_jobs[cert_id])
        Training.objects.bulk_create(trainings, batch_size=BATCH)
        through = Training.rome_jobs.through
        links = [
            through(training_id=training.pk, romejob_id=job)
            for training, jobs in zip(trainings, training_jobs, strict=True)
            for job in jobs
        ]
        through.objects.bulk_create(links, batch_size=BATCH)
        # One session running now (started last September) and one starting next September.
        school_year = self.today.year if self.today.month >= 9 else self.today.year - 1
        sessions = []
        for training in trainings:
            for year in (school_year, school_year + 1):
                starts = date(year, 9, 1) + timedelta(days=rng.randint(0, 30))
                sessions.append(
                    TrainingSession(
                        training=training, starts_on=starts, ends_on=add_months(starts, training.duration_months)
                    )
                )
        TrainingSession.objects.bulk_create(sessions, batch_size=BATCH)
        training_slots_refresh(training_ids=[training.pk for training in trainings])  # the search's index
        self.trainings = trainings
        self.training_jobs = dict(zip((t.pk for t in trainings), training_jobs, strict=True))
        self.trainings_by_level: dict[int, list[Training]] = defaultdict(list)
        for training in trainings:
            self.trainings_by_level[training.level_id].append(training)
        self.centre_commune = {centre_id: commune_id for centre_id, *_, commune_id in centres}
        self.summary.counts["formations (centres réels)"] = len(trainings)
        self.summary.counts["sessions de formation"] = len(sessions)
        self.summary.counts["centres réels dotés de formations"] = len({t.centre_id for t in trainings})

    # --- offers -----------------------------------------------------------------------------------------------
    def _job_for_level(self, level: int) -> int:
        """A ROME job: a common apprenticeship job, or one of a training of that level."""
        if self.rng.random() < 0.6 or not self.trainings_by_level.get(level):
            return self.draw_common_job()
        training = self.rng.choice(self.trainings_by_level[level])
        return self.rng.choice(self.training_jobs[training.pk])

    def _generate_offers(self) -> None:
        rng = self.rng
        statuses = list(cal.OFFER_STATUS_WEIGHTS)
        draw_status = weighted_sampler(rng, statuses, list(cal.OFFER_STATUS_WEIGHTS.values()))
        draw_group = weighted_sampler(rng, range(len(self.size_groups)), list(cal.SIZE_GROUP_WEIGHTS.values()))
        offers = []
        for _ in range(self.plan.offers):
            group = draw_group()
            establishment = rng.choice(self.by_group.get(group) or self.establishments)
            level = self.draw_level()
            job_id = self._job_for_level(level)
            appellation_id, title = None, self.job_titles[job_id]
            if self.appellations.get(job_id):
                appellation_id, title = rng.choice(self.appellations[job_id])
            status = draw_status()
            published_on = self.today - timedelta(days=rng.randint(0, 120))
            starts_on = self.today + timedelta(days=rng.randint(15, 270))
            if status in (OfferStatus.FILLED, OfferStatus.EXPIRED):
                published_on = self.today - timedelta(days=rng.randint(60, 365))
                starts_on = published_on + timedelta(days=rng.randint(15, 120))
            offers.append(
                Offer(
                    establishment_id=establishment.pk,
                    rome_job_id=job_id,
                    appellation_id=appellation_id,
                    title=f"{title} en apprentissage ({SYNTHETIC_LABEL})",
                    commune_id=establishment.commune_id,
                    target_level_id=level,
                    starts_on=starts_on,
                    duration_months=rng.choice((12, 24, 24, 36)) if level in (3, 4) else rng.choice((12, 24)),
                    weekly_hours=35,
                    positions=1 if rng.random() < 0.85 else rng.randint(2, 4),
                    description=(
                        "Offre d'apprentissage fictive générée pour la démonstration du Guichet Apprentissage : "
                        "elle ne correspond à aucun employeur réel."
                    ),
                    driving_licence_required=rng.random() < 0.15,
                    status=status,
                    published_at=None if status == OfferStatus.DRAFT else aware(published_on, rng),
                    is_synthetic=True,
                )
            )
        Offer.objects.bulk_create(offers, batch_size=BATCH)
        self.summary.counts["offres"] = len(offers)
        self.summary.counts["offres publiées"] = sum(1 for offer in offers if offer.status == OfferStatus.PUBLISHED)

    # --- young people -----------------------------------------------------------------------------------------
    def _current_level(self, age: int) -> int | None:
        """UNSOURCED: highest diploma by age (none or CAP at 16-17, up to a bac+3 after 21)."""
        rng = self.rng
        if age <= 17:
            return rng.choices((None, 3), weights=(80, 20))[0]
        if age <= 20:
            return rng.choices((None, 3, 4, 5), weights=(15, 25, 50, 10))[0]
        return rng.choices((3, 4, 5, 6), weights=(15, 30, 30, 25))[0]

    def _generate_candidates(self) -> None:
        rng = self.rng
        radii = (5, 10, 20, 30, 50)
        draw_radius = weighted_sampler(rng, radii, (10, 25, 35, 20, 10))  # UNSOURCED
        profiles: list[CandidateProfile] = []
        wishes: list[list[int]] = []
        now = aware(self.today, rng)
        for _ in range(self.plan.candidates):
            age = self.draw_age()
            birth_date = self.today - timedelta(days=round(age * 365.25) + rng.randint(0, 364))
            current = self._current_level(age)
            wished = self.draw_level()
            if current is not None and wished <= current:
                wished = min(7, current + 1)
            visible = rng.random() < 0.6
            profiles.append(
                CandidateProfile(
                    birth_date=birth_date,
                    commune_id=self.draw_home_commune(),
                    mobility_radius_km=draw_radius(),
                    # UNSOURCED: share with a driving licence rising with age.
                    driving_licence=rng.random() < min(0.8, max(0.0, (age - 17) * 0.12)),
                    current_level_id=current,
                    wished_level_id=wished,
                    available_from=self.today + timedelta(days=rng.randint(0, 180)),
                    rqth=rng.random() < cal.RQTH_SHARE,
                    visible_to_employers=visible,
                    visibility_consent_at=now - timedelta(days=rng.randint(0, 90)) if visible else None,
                    is_synthetic=True,
                )
            )
            wishes.append(sorted({self._job_for_level(wished) for _ in range(rng.randint(1, 3))}))
        CandidateProfile.objects.bulk_create(profiles, batch_size=BATCH)
        through = CandidateProfile.wished_jobs.through
        through.objects.bulk_create(
            [
                through(candidateprofile_id=profile.pk, romejob_id=job)
                for profile, jobs in zip(profiles, wishes, strict=True)
                for job in jobs
            ],
            batch_size=BATCH,
        )
        self.summary.counts["jeunes (profils sans compte)"] = len(profiles)

    # --- contracts --------------------------------------------------------------------------------------------
    def _generate_contracts(self) -> None:
        rng = self.rng
        draw_group = weighted_sampler(rng, range(len(self.size_groups)), list(cal.SIZE_GROUP_WEIGHTS.values()))
        months = list(cal.START_MONTH_WEIGHTS)
        draw_month = weighted_sampler(rng, months, list(cal.START_MONTH_WEIGHTS.values()))
        contracts: list[Contract] = []
        sequence = 0
        # The register's DECA fields, drawn from their own generator so that the draws above stay as they were.
        deca = random.Random(self.seed + 6)
        centre_uai = dict(TrainingCentre.objects.exclude(uai="").values_list("pk", "uai"))
        cfd_of = dict(Certification.objects.filter(cfd__regex=r"^[0-9A-Z]{8}$").values_list("pk", "cfd"))
        for year, count in sorted(self.plan.contracts_by_year.items()):
            for _ in range(count):
                sequence += 1
                level = self.draw_level()
                training = rng.choice(self.trainings_by_level.get(level) or self.trainings)
                group = draw_group()
                department = self.department_of[training.commune_id]
                # UNSOURCED: 80 % of the apprentices work in the department of their training centre.
                candidates = self.by_dept_group.get((department, group)) if rng.random() < 0.8 else None
                establishment = rng.choice(candidates or self.by_group.get(group) or self.establishments)
                month = draw_month()
                starts_on = date(year, month, rng.randint(1, 28))
                if starts_on > self.today:
                    starts_on = self.today - timedelta(days=rng.randint(1, 60))
                duration = (
                    rng.choice((6, 9, 10, 12, 12, 12, 12, 15))
                    if rng.random() < cal.SHORT_CONTRACT_SHARE
                    else rng.choice((18, 24, 24, 24, 24, 30, 36))
                )
                planned_end_on = add_months(starts_on, duration) - timedelta(days=1)
                break_on, reason = None, ""
                draw = rng.random()
                if draw < cal.BREAK_WITHIN_3_MONTHS:
                    break_on = starts_on + timedelta(days=rng.randint(1, 90))
                elif draw < cal.BREAK_WITHIN_3_MONTHS + cal.BREAK_3_TO_12_MONTHS:
                    break_on = starts_on + timedelta(days=rng.randint(91, 365))
                if break_on is not None:
                    if break_on > min(planned_end_on, self.today):
                        break_on = None
                    elif (break_on - starts_on).days <= 60:
                        reason = BreakReason.TRIAL_PERIOD
                    else:  # UNSOURCED split of the later breaks
                        reason = rng.choices(
                            (BreakReason.MUTUAL_AGREEMENT, BreakReason.RESIGNATION, BreakReason.DISMISSAL,
                             BreakReason.OTHER),
                            weights=(50, 30, 15, 5),
                        )[0]  # fmt: skip
                age = self.draw_age()
                birth_date = starts_on.replace(year=starts_on.year - age) - timedelta(days=deca.randrange(365))
                contracts.append(
                    Contract(
                        contract_number=f"FICTIF-{year}-{sequence:07d}",
                        birth_year=birth_date.year,
                        birth_date=birth_date,
                        age_band=age_band_for(age),  # exact age at the start: the birthday passed less than a year ago
                        sex=Sex.FEMALE if rng.random() < cal.FEMALE_SHARE else Sex.MALE,
                        level_id=training.level_id,
                        rome_job_id=rng.choice(self.training_jobs[training.pk]),
                        certification_id=training.certification_id,
                        establishment_id=establishment.pk,
                        naf_id=establishment.naf_id,
                        headcount_band=establishment.headcount_band,
                        workplace_commune_id=establishment.commune_id,
                        training_centre_id=training.centre_id,
                        training_centre_uai=centre_uai.get(training.centre_id, ""),
                        training_commune_id=training.commune_id,
                        diploma_cfd=cfd_of.get(training.certification_id, ""),
                        # UNSOURCED: 2 % of the contracts are CDI starting with the apprenticeship.
                        contract_kind=ContractKind.PERMANENT if deca.random() < 0.02 else ContractKind.FIXED_TERM,
                        rqth=deca.random() < cal.RQTH_SHARE,
                        employer_sector=EmployerSector.PRIVATE,  # the demo's employers are companies
                        concluded_on=starts_on - timedelta(days=rng.randint(0, 30)),
                        starts_on=starts_on,
                        planned_end_on=planned_end_on,
                        break_on=break_on,
                        break_reason=reason,
                        is_synthetic=True,
                    )
                )
        Contract.objects.bulk_create(contracts, batch_size=BATCH)
        self.summary.counts["contrats (registre)"] = len(contracts)
        self._calibration_checks(contracts)

    # --- the living market (applications at every stage) ----------------------------------------------------
    def _generate_market(self) -> None:
        market = generate_market(seed=self.seed, today=self.today)
        self.summary.counts["offres publiées pour animer les zones"] = market.offers_published
        self.summary.counts["formations rouvertes (places)"] = market.trainings_opened
        self.summary.counts["formations pour les métiers offerts"] = market.trainings_for_offered_jobs
        self.summary.counts["profils rendus visibles (consentement)"] = market.profiles_made_visible
        self.summary.counts["candidatures"] = market.applications
        self.summary.counts["étapes de candidature"] = market.events

    def _calibration_checks(self, contracts: list[Contract]) -> None:
        if not contracts:
            return
        total = len(contracts)
        levels = Counter(contract.level_id for contract in contracts)
        self.summary.checks["niveaux (visé DARES 2022 : 3 22 %, 4 16 %, 5 22 %, 6 18 %, 7 22 %)"] = ", ".join(
            f"{level} {100 * levels[level] / total:.0f} %" for level in sorted(levels)
        )
        women = sum(1 for contract in contracts if contract.sex == Sex.FEMALE)
        self.summary.checks["femmes (visé 46 %)"] = f"{100 * women / total:.0f} %"
        small = sum(1 for contract in contracts if contract.headcount_band in {"0", "1-5", "6-9", "10-19", "20-49"})
        self.summary.checks["employeurs de moins de 50 salariés (visé ≈ 66 %)"] = f"{100 * small / total:.0f} %"
        year_end = date(max(self.plan.contracts_by_year), 12, 31)
        stock = sum(
            1
            for contract in contracts
            if contract.starts_on <= year_end
            and contract.planned_end_on >= year_end
            and (contract.break_on is None or contract.break_on > year_end)
        )
        target = round(cal.HDF_SIFA_2022 * self.plan.ratio * self.fraction) if self.scale == "region" else None
        label = f"contrats en cours au {year_end:%d/%m/%Y}"
        self.summary.checks[label] = f"{stock}" + (
            f" (repère : {target} = 65 000 apprentis SIFA 2022 × {self.plan.ratio * self.fraction:g})"
            if target
            else ""
        )


def delete_synthetic_population() -> dict[str, int]:
    """Delete every synthetic row (children first); real reference rows are never touched."""
    deleted: dict[str, int] = {}
    steps = (
        ("contrats", Contract.objects.filter(is_synthetic=True)),
        ("offres", Offer.objects.filter(is_synthetic=True)),
        ("jeunes", CandidateProfile.objects.filter(is_synthetic=True)),
        ("sessions", TrainingSession.objects.filter(training__is_synthetic=True)),
        ("formations", Training.objects.filter(is_synthetic=True)),
        ("établissements", Establishment.objects.filter(is_synthetic=True)),
        ("entreprises", Company.objects.filter(is_synthetic=True)),
        ("centres fictifs", TrainingCentre.objects.filter(is_synthetic=True)),
    )
    with transaction.atomic():
        for label, queryset in steps:
            _, per_model = queryset.delete()  # the rows of this model, not the cascaded links
            deleted[label] = per_model.get(queryset.model._meta.label, 0)
    return deleted


def generate_demo_population(
    *, seed: int, scale: str = "region", fraction: float = 1.0, today: date | None = None
) -> DemoSummary:
    if not 0 < fraction <= 1:
        raise DemoError("La fraction doit être comprise entre 0 (exclu) et 1.")
    return Generator(seed=seed, scale=scale, fraction=fraction, today=today or timezone.localdate()).run()
