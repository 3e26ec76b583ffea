"""The observatory's data: the indicator glossary, plan targets, BMO recruitment needs, the FAP <-> ROME
correspondence, published figures, and the KPI summary tables recomputed from the contracts register.

Pages and the API read the summaries (KpiSeries), never the register directly.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class IndicatorUnit(models.TextChoices):
    COUNT = "nombre", "nombre"
    PERCENT = "pourcentage", "pourcentage"
    RATIO = "ratio", "ratio"
    HOURS = "heures", "heures"
    EUROS = "euros", "euros"


class IndicatorMeasure(models.TextChoices):
    STOCK = "stock", "Stock (à une date)"
    FLOW = "flux", "Flux (sur une période)"
    RATE = "taux", "Taux"
    SHARE = "part", "Part"
    OTHER = "autre", "Autre"


class Indicator(models.Model):
    """One entry of the glossary: every figure shown by the observatory has one, and only these can be shown."""

    code = models.SlugField("code", max_length=60, unique=True)
    label = models.CharField("libellé", max_length=200)
    definition = models.TextField("définition exacte")
    unit = models.CharField("unité", max_length=20, choices=IndicatorUnit.choices)
    measure = models.CharField("nature", max_length=10, choices=IndicatorMeasure.choices)
    source = models.TextField("source")
    refreshed = models.CharField("mise à jour", max_length=200, help_text="Date ou rythme de mise à jour.")
    caveats = models.TextField("limites", blank=True)
    position = models.PositiveSmallIntegerField("ordre d'affichage", default=0)

    class Meta:
        verbose_name = "indicateur"
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label


class Plan(models.Model):
    """A regional plan with dated targets; several plans are kept (the 2016 plan and later ones)."""

    code = models.SlugField("code", max_length=40, unique=True)
    name = models.CharField("nom", max_length=200)
    adopted_year = models.PositiveSmallIntegerField("année d'adoption")
    source = models.TextField("source", help_text="Où ces objectifs sont publiés (titre, éditeur, date).")
    is_current = models.BooleanField("plan suivi sur le tableau de bord", default=False)

    class Meta:
        verbose_name = "plan régional"
        verbose_name_plural = "plans régionaux"
        ordering = ["-adopted_year", "code"]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets", verbose_name="plan")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="targets", verbose_name="indicateur suivi"
    )
    label = models.CharField("objectif", max_length=200)
    baseline_year = models.PositiveSmallIntegerField("année de départ")
    baseline_value = models.DecimalField("valeur de départ", max_digits=12, decimal_places=2)
    target_year = models.PositiveSmallIntegerField("année cible")
    target_value = models.DecimalField("valeur cible", max_digits=12, decimal_places=2)
    note = models.TextField("précisions", blank=True)

    class Meta:
        verbose_name = "objectif"
        ordering = ["plan", "indicator__position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "indicator"], name="target_one_per_plan_indicator"),
            models.CheckConstraint(
                condition=models.Q(target_year__gt=models.F("baseline_year")),
                name="target_after_baseline",
                violation_error_message="L'année cible doit être postérieure à l'année de départ.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} : {self.label}"


class FapFamily(models.Model):
    """A FAP-2021 family at the 228 level; the BMO survey's job code is this code."""

    code = models.CharField("code FAP228", max_length=5, unique=True)
    label = models.CharField("libellé FAP", max_length=255)
    bmo_label = models.CharField("libellé du métier BMO", max_length=255, blank=True)

    class Meta:
        verbose_name = "famille professionnelle (FAP 2021)"
        verbose_name_plural = "familles professionnelles (FAP 2021)"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.bmo_label or self.label}"


class FapRome(models.Model):
    """DARES correspondence FAP228 <-> ROME; `qualifications` is how many of the 10 qualification codes lead there."""

    fap = models.ForeignKey(FapFamily, on_delete=models.CASCADE, related_name="romes", verbose_name="famille FAP")
    rome_code = models.CharField("code ROME", max_length=5)
    rome_job = models.ForeignKey(
        "jobs.RomeJob",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fap_links",
        verbose_name="métier ROME (vide si absent du ROME chargé)",
    )
    qualifications = models.PositiveSmallIntegerField("nombre de codes qualification (poids)")

    class Meta:
        verbose_name = "correspondance FAP-ROME"
        ordering = ["fap__code", "rome_code"]
        constraints = [models.UniqueConstraint(fields=["fap", "rome_code"], name="fap_rome_unique_pair")]

    def __str__(self) -> str:
        return f"{self.fap.code} -> {self.rome_code}"


class BmoNeed(models.Model):
    """One row of the BMO survey: recruitment projects of one BMO job in one BMO basin.

    A value hidden by statistical secrecy ("*") is stored as NULL with its `*_secret` flag, never as zero.
    """

    year = models.PositiveSmallIntegerField("année de l'enquête")
    basin = models.ForeignKey(
        "territory.Basin", on_delete=models.PROTECT, related_name="bmo_needs", verbose_name="bassin BMO"
    )
    fap = models.ForeignKey(FapFamily, on_delete=models.PROTECT, related_name="needs", verbose_name="métier BMO")
    projects = models.PositiveIntegerField("projets de recrutement", null=True, blank=True)
    projects_secret = models.BooleanField("projets couverts par le secret statistique", default=False)
    difficult = models.PositiveIntegerField("projets jugés difficiles", null=True, blank=True)
    difficult_secret = models.BooleanField("difficiles : secret statistique", default=False)
    seasonal = models.PositiveIntegerField("projets saisonniers", null=True, blank=True)
    seasonal_secret = models.BooleanField("saisonniers : secret statistique", default=False)

    class Meta:
        verbose_name = "besoin de main-d'œuvre (BMO)"
        verbose_name_plural = "besoins de main-d'œuvre (BMO)"
        ordering = ["year", "basin__code", "fap__code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "basin", "fap"], name="bmo_need_unique"),
            models.CheckConstraint(
                condition=models.Q(projects_secret=False) | models.Q(projects__isnull=True),
                name="bmo_secret_projects_are_null",
                violation_error_message="Une valeur couverte par le secret statistique n'a pas de nombre.",
            ),
        ]

    def __str__(self) -> str:
        return f"BMO {self.year} {self.basin_id} {self.fap_id}"


class PublishedFigure(models.Model):
    """A published apprentice count (national or regional), quoted with its page: used for the national share."""

    perimeter = models.CharField("périmètre", max_length=60)
    year = models.CharField("année", max_length=12)
    label = models.CharField("indicateur publié", max_length=255)
    value = models.PositiveIntegerField("valeur")
    producer = models.CharField("producteur cité", max_length=255)
    page_title = models.CharField("page", max_length=500)
    page_date = models.CharField("date de la page", max_length=20, blank=True)
    page_url = models.URLField("adresse", max_length=500)
    note = models.TextField("note", blank=True)

    class Meta:
        verbose_name = "chiffre publié"
        ordering = ["perimeter", "year", "label"]
        constraints = [
            models.UniqueConstraint(fields=["perimeter", "year", "label", "page_url"], name="published_figure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.perimeter} {self.year} {self.label}"


class RegisterScope(models.Model):
    """What share of the real contracts the register holds (1 for a full register; 0.1 for the demo's 1/10)."""

    ratio = models.DecimalField("part des contrats réels présents dans le registre", max_digits=6, decimal_places=4)
    is_synthetic = models.BooleanField("données fictives", default=False)
    note = models.CharField("précision", max_length=255, blank=True)

    class Meta:
        verbose_name = "couverture du registre"

    def __str__(self) -> str:
        return f"{self.ratio}"


class KpiRun(models.Model):
    """One recomputation of the summaries (nightly or after an import)."""

    started_at = models.DateTimeField("début")
    finished_at = models.DateTimeField("fin", null=True, blank=True)
    as_of = models.DateField("données arrêtées au")
    trigger = models.CharField("déclencheur", max_length=40)
    contracts = models.PositiveIntegerField("contrats lus", default=0)
    rows = models.PositiveIntegerField("séries écrites", default=0)
    first_period = models.DateField("premier mois calculé", null=True, blank=True)
    months = models.PositiveSmallIntegerField("nombre de mois", default=0)
    synthetic = models.BooleanField("contient des données fictives", default=False)

    class Meta:
        verbose_name = "calcul des indicateurs"
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.trigger})"


class KpiSeries(models.Model):
    """One series of the summary tables: indicator x place basis x area x breakdown category, one value a month
    from `start` (JSON list; null where the figure is not published, e.g. an immature break-up cohort)."""

    indicator = models.CharField("indicateur", max_length=60)
    place = models.CharField("lieu de référence", max_length=10)  # travail | formation
    level = models.CharField("niveau géographique", max_length=12)  # region | department | zone | basin
    area = models.CharField("code de la zone", max_length=10)
    dimension = models.CharField("ventilation", max_length=20)  # total | level | age | sex | domain | size | future
    category = models.CharField("catégorie", max_length=40)
    start = models.DateField("premier mois")
    values = models.JSONField("valeurs mensuelles")

    class Meta:
        verbose_name = "série d'indicateur"
        verbose_name_plural = "séries d'indicateurs"
        indexes = [models.Index(fields=["indicator", "level", "area", "dimension"], name="kpi_series_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.level}:{self.area} {self.dimension}={self.category}"


class ProposalAction(models.TextChoices):
    OPEN = "ouvrir", "Ouvrir des places"
    EXTEND = "augmenter", "Augmenter les places"
    MOVE = "deplacer", "Déplacer des places"


class ProposalStatus(models.TextChoices):
    SENT = "envoyee", "Envoyée au centre, en attente de sa réponse"
    ACCEPTED = "acceptee", "Acceptée par le centre"
    REFUSED = "refusee", "Refusée par le centre"
    COUNTER = "contre", "Contre-proposition du centre"
    DONE = "realisee", "Réalisée (places ouvertes)"
    WITHDRAWN = "retiree", "Retirée par la Région"


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def visible_to(self, user) -> ProposalQuerySet:
        """Analysts and administrators see every proposal; training-centre staff those sent to their centres."""
        from guichet.accounts.models import Role
        from guichet.accounts.permissions import has_role, is_admin

        if is_admin(user) or has_role(user, Role.ANALYST):
            return self.all()
        if has_role(user, Role.TRAINING_CENTRE):
            return self.filter(centre__memberships__user=user).distinct()
        return self.none()


class Proposal(models.Model):
    """A recommendation turned into a proposal sent to a training centre, with its answer and follow-up.

    Its life cycle (services in guichet/observatory/proposals.py, each step a dated ProposalEvent with its author):
    sent -> accepted | refused | counter-proposal (by the centre); counter-proposal -> accepted (the Region takes
    the centre's figures); sent | counter-proposal -> withdrawn (by the Region); accepted -> done.
    """

    centre = models.ForeignKey(
        "trainings.TrainingCentre", on_delete=models.CASCADE, related_name="proposals", verbose_name="centre"
    )
    grid = models.CharField("maillage", max_length=10)
    area = models.CharField("zone", max_length=10)
    rome_job = models.ForeignKey(
        "jobs.RomeJob", on_delete=models.PROTECT, related_name="proposals", verbose_name="métier"
    )
    action = models.CharField("action", max_length=12, choices=ProposalAction.choices)
    places = models.PositiveSmallIntegerField("places")
    reasons = models.JSONField("raisons", default=list)
    message = models.TextField("message au centre", blank=True)
    status = models.CharField("statut", max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.SENT)
    answer = models.TextField("réponse du centre", blank=True)
    counter_action = models.CharField(
        "action contre-proposée", max_length=12, choices=ProposalAction.choices, blank=True
    )
    counter_places = models.PositiveSmallIntegerField("places contre-proposées", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="proposée par",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)
    is_synthetic = models.BooleanField("données fictives", default=False)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = "proposition à un centre"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(places__gte=1),
                name="proposal_at_least_one_place",
                violation_error_message="Une proposition porte sur au moins une place.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.places} places ({self.centre_id})"


class ProposalEventKind(models.TextChoices):
    CREATED = "creee", "Proposition envoyée au centre"
    ACCEPTED = "acceptee", "Acceptée par le centre"
    REFUSED = "refusee", "Refusée par le centre"
    COUNTERED = "contre", "Contre-proposition du centre"
    COUNTER_ACCEPTED = "contre_acceptee", "Contre-proposition acceptée par la Région"
    WITHDRAWN = "retiree", "Retirée par la Région"
    DONE = "realisee", "Places ouvertes : proposition réalisée"
    NOTE = "note", "Note de suivi"


class ProposalEvent(models.Model):
    """One dated step of a proposal's life, with its author (never edited)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events", verbose_name="proposition")
    at = models.DateTimeField("le")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    actor_role = models.CharField("rôle de l'auteur", max_length=20, blank=True)
    kind = models.CharField("étape", max_length=16, choices=ProposalEventKind.choices)
    status_before = models.CharField("statut avant", max_length=10, choices=ProposalStatus.choices, blank=True)
    status_after = models.CharField("statut après", max_length=10, choices=ProposalStatus.choices)
    places = models.PositiveSmallIntegerField("places", null=True, blank=True)
    note = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "étape d'une proposition"
        verbose_name_plural = "étapes des propositions"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"
