"""Dated parameters of apprentice pay and aids (editable by an administrator), and the simulations made.

History is kept: a parameter row is never rewritten once recorded (the admin shows it read-only); a new
value is a new row with its own validity date. The only change allowed is closing an open-ended period
(setting the end date of an aid rule or an exemption regime that had none). Each set of parameters has a
version (`RulesSnapshot`) stored with its full content, so a simulation or a decision made years ago can
be explained with the exact parameters it used.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from guichet.accounts.models import Role
from guichet.accounts.permissions import AnyUser, has_role, in_advisor_zones, is_admin


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", "Moins de 18 ans"
    FROM_18_TO_20 = "18_20", "18 à 20 ans"
    FROM_21_TO_25 = "21_25", "21 à 25 ans"
    FROM_26 = "26_plus", "26 ans et plus"


class Scope(models.TextChoices):
    NATIONAL = "national", "Nationale"
    REGIONAL = "regional", "Régionale (Hauts-de-France)"


class Beneficiary(models.TextChoices):
    EMPLOYER = "employer", "Employeur"
    APPRENTICE = "apprentice", "Apprenti"


class Payment(models.TextChoices):
    STATE_MONTHLY = "state_monthly", "Chaque mois par l'ASP, par année de contrat"
    ONCE = "once", "Une fois"
    YEARLY = "yearly", "Chaque année de contrat"
    MONTHLY = "monthly", "Chaque mois"


class RqthCondition(models.TextChoices):
    ANY = "any", "Indifférent"
    REQUIRED = "required", "Apprenti RQTH exigé"
    EXCLUDED = "excluded", "Apprenti sans RQTH"


class EmployerKind(models.TextChoices):
    ANY = "any", "Tout employeur"
    PRIVATE = "private", "Employeur privé"
    PUBLIC = "public", "Employeur public"


class DateBasis(models.TextChoices):
    CONCLUSION = "conclusion", "Date de conclusion du contrat"
    REQUEST = "request", "Date de la demande"


class SmicRate(models.Model):
    territory = models.CharField("territoire", max_length=20, default="metropole")
    effective_on = models.DateField("en vigueur à partir du")
    hourly = models.DecimalField("SMIC horaire brut (€)", max_digits=6, decimal_places=2)
    monthly = models.DecimalField("SMIC mensuel brut, 35 h (€)", max_digits=8, decimal_places=2)
    reference = models.CharField("texte (décret, arrêté, JO)", max_length=300)
    url = models.URLField("lien", blank=True, max_length=300)
    to_confirm = models.BooleanField("à confirmer", default=False)
    recorded_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "valeur du SMIC"
        verbose_name_plural = "valeurs du SMIC"
        ordering = ["territory", "-effective_on"]
        constraints = [models.UniqueConstraint(fields=["territory", "effective_on"], name="smic_rate_unique_date")]

    def __str__(self) -> str:
        return f"SMIC {self.territory} au {self.effective_on:%d/%m/%Y} : {self.monthly} €"


class PayGridRate(models.Model):
    valid_from = models.DateField("contrats conclus à partir du")
    age_band = models.CharField("tranche d'âge", max_length=10, choices=AgeBand.choices)
    contract_year = models.PositiveSmallIntegerField("année du contrat")
    rate_percent = models.DecimalField("% du SMIC", max_digits=5, decimal_places=2)
    reference = models.CharField("référence", max_length=300)
    recorded_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "taux de la grille de rémunération"
        verbose_name_plural = "grille de rémunération (D6222-26)"
        ordering = ["-valid_from", "age_band", "contract_year"]
        constraints = [
            models.UniqueConstraint(fields=["valid_from", "age_band", "contract_year"], name="pay_grid_rate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_age_band_display()}, année {self.contract_year} : {self.rate_percent} %"


class ExemptionRegime(models.Model):
    code = models.SlugField("code", max_length=40, unique=True)
    concluded_from = models.DateField("contrats conclus à partir du")
    concluded_to = models.DateField("jusqu'au", null=True, blank=True)
    threshold_percent_smic = models.DecimalField("seuil d'exonération (% du SMIC)", max_digits=5, decimal_places=2)
    csg_crds_due = models.BooleanField("CSG et CRDS dues au-delà du seuil")
    reference = models.CharField("référence", max_length=300)
    to_confirm = models.BooleanField("à confirmer", default=False)
    recorded_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "régime d'exonération de l'apprenti"
        verbose_name_plural = "régimes d'exonération de l'apprenti"
        ordering = ["-concluded_from"]

    def __str__(self) -> str:
        return f"{self.code} ({self.threshold_percent_smic} % du SMIC)"


class ContributionRate(models.Model):
    code = models.SlugField("code", max_length=40)
    valid_from = models.DateField("à partir du")
    rate_percent = models.DecimalField("taux (%)", max_digits=5, decimal_places=2)
    base_percent = models.DecimalField("assiette (% du brut)", max_digits=5, decimal_places=2, default=100)
    label = models.CharField("libellé", max_length=300)
    reference = models.CharField("référence", max_length=300)
    to_confirm = models.BooleanField("à confirmer", default=True)
    recorded_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "taux de cotisation salariale"
        verbose_name_plural = "taux de cotisations salariales"
        ordering = ["code", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="contribution_rate_unique")]

    def __str__(self) -> str:
        return f"{self.code} au {self.valid_from:%d/%m/%Y} : {self.rate_percent} %"


class IncomeTaxCeiling(models.Model):
    year = models.PositiveSmallIntegerField("année de revenus", unique=True)
    amount = models.DecimalField("plafond d'exonération (€)", max_digits=8, decimal_places=2)
    reference = models.CharField("référence", max_length=300)
    to_confirm = models.BooleanField("à confirmer", default=False)
    recorded_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "plafond d'exonération d'impôt sur le revenu"
        verbose_name_plural = "plafonds d'exonération d'impôt sur le revenu (CGI 81 bis)"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} : {self.amount} €"


class PaymentRule(models.Model):
    code = models.SlugField("code", max_length=40)
    concluded_from = models.DateField("contrats conclus à partir du")
    reference = models.CharField("référence", max_length=300)
    to_confirm = models.BooleanField("à confirmer", default=False)
    recorded_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "règle de versement"
        verbose_name_plural = "règles de versement"
        constraints = [models.UniqueConstraint(fields=["code", "concluded_from"], name="payment_rule_unique")]

    def __str__(self) -> str:
        return f"{self.code} ({self.concluded_from:%d/%m/%Y})"


class AidProgramme(models.Model):
    code = models.SlugField("code", max_length=60, unique=True)
    name = models.CharField("nom", max_length=200)
    scope = models.CharField("portée", max_length=10, choices=Scope.choices)
    beneficiary = models.CharField("bénéficiaire", max_length=12, choices=Beneficiary.choices)
    funder = models.CharField("financeur", max_length=200, blank=True)
    payment = models.CharField("versement", max_length=16, choices=Payment.choices)
    exclusive_group = models.SlugField(
        "groupe non cumulable", max_length=40, blank=True, help_text="Aides non cumulables : même groupe."
    )
    reference = models.CharField("référence", max_length=400)
    description = models.TextField("description (lue par le public)")
    source_date = models.DateField("date de la source", null=True, blank=True)
    to_confirm = models.BooleanField("à confirmer", default=False)
    accepts_applications = models.BooleanField(
        "demande en ligne sur le guichet", default=False, help_text="Aides régionales instruites par la Région."
    )
    is_synthetic = models.BooleanField("données fictives", default=False, db_index=True)
    recorded_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "programme d'aide"
        verbose_name_plural = "programmes d'aide"
        ordering = ["scope", "beneficiary", "code"]

    def __str__(self) -> str:
        return self.name


class AidRule(models.Model):
    """One dated row of a programme: conditions and amount (the first matching row, by priority, applies)."""

    programme = models.ForeignKey(
        AidProgramme, on_delete=models.PROTECT, related_name="rules", verbose_name="programme"
    )
    priority = models.PositiveSmallIntegerField("priorité", default=0, help_text="La plus petite s'applique d'abord.")
    date_basis = models.CharField("date de référence", max_length=12, choices=DateBasis.choices, default="conclusion")
    concluded_from = models.DateField("à partir du")
    concluded_to = models.DateField("jusqu'au", null=True, blank=True)
    start_before = models.DateField("début du contrat avant le", null=True, blank=True)
    headcount_min = models.PositiveIntegerField("effectif minimum", null=True, blank=True)
    headcount_max = models.PositiveIntegerField("effectif maximum", null=True, blank=True)
    level_min = models.PositiveSmallIntegerField("niveau de diplôme minimum", null=True, blank=True)
    level_max = models.PositiveSmallIntegerField("niveau de diplôme maximum", null=True, blank=True)
    age_min = models.PositiveSmallIntegerField("âge minimum", null=True, blank=True)
    age_max = models.PositiveSmallIntegerField("âge maximum", null=True, blank=True)
    rqth = models.CharField("RQTH", max_length=10, choices=RqthCondition.choices, default="any")
    employer_kind = models.CharField("employeur", max_length=10, choices=EmployerKind.choices, default="any")
    first_year_only = models.BooleanField("1re année seulement", default=False)
    requires_deposit = models.BooleanField("contrat déposé dans les 6 mois", default=False)
    max_net_smic_percent = models.DecimalField(
        "salaire net maximum (% du SMIC)", max_digits=6, decimal_places=2, null=True, blank=True
    )
    amount = models.DecimalField("montant (€)", max_digits=9, decimal_places=2, null=True, blank=True)
    amounts_by_year = models.JSONField(
        "montants par année de contrat (€)", default=list, blank=True, help_text='Exemple : ["4125", "2000", "1200"].'
    )
    amount_is_maximum = models.BooleanField("montant maximum (« jusqu'à »)", default=False)
    max_months = models.PositiveSmallIntegerField("mois au plus par année", null=True, blank=True)
    checks = models.JSONField("conditions à vérifier par la personne", default=list, blank=True)
    reference = models.CharField("référence", max_length=400, blank=True)
    to_confirm = models.BooleanField("à confirmer", default=False)
    recorded_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "règle d'aide datée"
        verbose_name_plural = "règles d'aide datées"
        ordering = ["programme", "priority", "concluded_from"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "priority", "concluded_from"], name="aid_rule_unique"),
            models.CheckConstraint(
                condition=models.Q(concluded_to__isnull=True) | models.Q(concluded_to__gte=models.F("concluded_from")),
                name="aid_rule_period_ordered",
                violation_error_message="La fin de la période doit suivre son début.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} #{self.priority} à partir du {self.concluded_from:%d/%m/%Y}"


class RulesSnapshot(models.Model):
    """The full content of one version of the parameters, kept forever."""

    version = models.CharField("version des règles", max_length=40, unique=True)
    data = models.JSONField("paramètres")
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "version des règles"
        verbose_name_plural = "versions des règles"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.version


class SimulationKind(models.TextChoices):
    SALARY = "salary", "Salaire"
    AIDS = "aids", "Aides"
    EMPLOYER = "employer", "Coût employeur et aides"


class Simulation(models.Model):
    kind = models.CharField("type", max_length=10, choices=SimulationKind.choices)
    inputs = models.JSONField("données saisies")
    result = models.JSONField("résultat")
    rules_version = models.CharField("version des règles", max_length=40, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="aid_simulations",
        verbose_name="utilisateur",
    )
    channel = models.CharField("canal", max_length=10, default="page")
    created_at = models.DateTimeField("faite le", auto_now_add=True)

    class Meta:
        verbose_name = "simulation"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.created_at:%d/%m/%Y}"


# --- Regional aid applications: submission, instruction, decision, payments, budgets, audit trail ---------------


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Déposée"
    INSTRUCTING = "instructing", "En instruction"
    GRANTED = "granted", "Accordée"
    REFUSED = "refused", "Refusée"


class AidBudget(models.Model):
    """The yearly envelope of a programme; commitments and payments move under a row lock, and the database
    refuses any commitment above the envelope (check constraint), even under concurrent grants."""

    programme = models.ForeignKey(
        AidProgramme, on_delete=models.PROTECT, related_name="budgets", verbose_name="programme"
    )
    year = models.PositiveSmallIntegerField("année")
    amount = models.DecimalField("enveloppe (€)", max_digits=12, decimal_places=2)
    committed_amount = models.DecimalField("engagé (€)", max_digits=12, decimal_places=2, default=0)
    paid_amount = models.DecimalField("payé (€)", max_digits=12, decimal_places=2, default=0)
    is_synthetic = models.BooleanField("données fictives", default=False, db_index=True)

    class Meta:
        verbose_name = "budget d'un programme"
        verbose_name_plural = "budgets des programmes"
        ordering = ["-year", "programme"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="aid_budget_unique_year"),
            models.CheckConstraint(
                condition=models.Q(committed_amount__lte=models.F("amount")),
                name="aid_budget_not_overcommitted",
                violation_error_message="Les engagements ne peuvent pas dépasser l'enveloppe.",
            ),
            models.CheckConstraint(
                condition=models.Q(paid_amount__lte=models.F("committed_amount")),
                name="aid_budget_paid_within_committed",
                violation_error_message="Les paiements ne peuvent pas dépasser les engagements.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}"

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.committed_amount


class AidApplicationQuerySet(models.QuerySet["AidApplication"]):
    def visible_to(self, user: AnyUser) -> AidApplicationQuerySet:
        """Employers see the applications of their establishments, advisors those of their zones, admins all."""
        if is_admin(user):
            return self.all()
        if has_role(user, Role.EMPLOYER):
            return self.filter(establishment__memberships__user=user).distinct()
        if has_role(user, Role.ADVISOR):
            return self.filter(in_advisor_zones(user, commune_field="contract__workplace_commune"))
        return self.none()


class AidApplication(models.Model):
    programme = models.ForeignKey(
        AidProgramme, on_delete=models.PROTECT, related_name="applications", verbose_name="aide demandée"
    )
    # SET_NULL: an application, its decision and payments outlive the register row they were about.
    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.SET_NULL,
        null=True,
        related_name="aid_applications",
        verbose_name="contrat",
    )
    establishment = models.ForeignKey(
        "employers.Establishment",
        on_delete=models.SET_NULL,
        null=True,
        related_name="aid_applications",
        verbose_name="employeur",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="aid_applications",
        verbose_name="déposée par",
    )
    apprentice_birth_date = models.DateField("date de naissance de l'apprenti")
    apprentice_rqth = models.BooleanField("apprenti RQTH", default=False)
    headcount = models.PositiveIntegerField("effectif de l'entreprise")
    status = models.CharField("statut", max_length=12, choices=ApplicationStatus.choices, default="submitted")
    precheck = models.JSONField("pré-contrôle automatique", default=dict)
    requested_amount = models.DecimalField("montant demandé (€)", max_digits=10, decimal_places=2)
    rules_version = models.CharField("version des règles du pré-contrôle", max_length=40)
    submitted_at = models.DateTimeField("déposée le", auto_now_add=True)
    instruction_deadline = models.DateField("à instruire avant le")
    budget = models.ForeignKey(
        AidBudget, on_delete=models.PROTECT, null=True, blank=True, related_name="applications", verbose_name="budget"
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="aid_decisions",
        verbose_name="décidée par",
    )
    granted_amount = models.DecimalField("montant accordé (€)", max_digits=10, decimal_places=2, null=True, blank=True)
    refusal_reason = models.TextField("motif du refus", blank=True)
    decision_rules_version = models.CharField("version des règles de la décision", max_length=40, blank=True)
    letter = models.TextField("courrier de décision", blank=True)
    is_synthetic = models.BooleanField("données fictives", default=False, db_index=True)

    objects = AidApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d'aide régionale"
        verbose_name_plural = "demandes d'aide régionale"
        ordering = ["instruction_deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="granted") | models.Q(granted_amount__gt=0, budget__isnull=False),
                name="aid_application_granted_has_amount",
                violation_error_message="Une aide accordée a un montant et un budget.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme.name} · {self.contract}"


class DocumentStatus(models.TextChoices):
    REQUESTED = "requested", "Demandée"
    RECEIVED = "received", "Reçue"


class ApplicationDocument(models.Model):
    application = models.ForeignKey(AidApplication, on_delete=models.CASCADE, related_name="documents")
    label = models.CharField("pièce", max_length=200)
    status = models.CharField("statut", max_length=10, choices=DocumentStatus.choices, default="requested")
    requested_at = models.DateTimeField("demandée le", auto_now_add=True)
    received_at = models.DateTimeField("reçue le", null=True, blank=True)

    class Meta:
        verbose_name = "pièce justificative"
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return self.label


class AidPayment(models.Model):
    application = models.ForeignKey(AidApplication, on_delete=models.PROTECT, related_name="payments")
    due_on = models.DateField("échéance")
    amount = models.DecimalField("montant (€)", max_digits=10, decimal_places=2)
    paid_on = models.DateField("payé le", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "versement"
        ordering = ["due_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="aid_payment_positive")]

    def __str__(self) -> str:
        return f"{self.due_on:%d/%m/%Y} : {self.amount} €"


class AuditEvent(models.Model):
    """Who did what, when, on an application or a budget (never edited)."""

    application = models.ForeignKey(
        AidApplication, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    budget = models.ForeignKey(AidBudget, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField("action", max_length=40)
    detail = models.JSONField("détail", default=dict)
    created_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "événement du journal"
        verbose_name_plural = "journal des aides"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.action}"
