"""The observatory's step of the demo population: the register's coverage, a few proposals, fresh summaries."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from guichet.contracts.demo.extensions import DemoContext
from guichet.observatory.models import (
    KpiRun,
    KpiSeries,
    Proposal,
    ProposalAction,
    ProposalEvent,
    ProposalEventKind,
    ProposalStatus,
    RegisterScope,
)
from guichet.territory.models import BasinGrid, BasinMembership


def generate_demo_rows(context: DemoContext) -> dict[str, int]:
    from guichet.jobs.models import RomeJob
    from guichet.observatory.services import kpis_recompute
    from guichet.trainings.models import TrainingCentre

    RegisterScope.objects.all().delete()
    RegisterScope.objects.create(
        ratio=Decimal(str(round(context.ratio * context.fraction, 4))),
        is_synthetic=True,
        note="Registre de démonstration : contrats fictifs générés à une fraction des volumes réels.",
    )
    rng = context.rng("observatory")
    centres = list(TrainingCentre.objects.order_by("siret")[:50])
    jobs = list(RomeJob.objects.exclude(future_family="").order_by("code"))
    zone_of = dict(
        BasinMembership.objects.filter(
            grid=BasinGrid.ZONE_EMPLOI, commune__in=[c.commune_id for c in centres]
        ).values_list("commune_id", "basin__code")
    )
    steps = {  # demo status -> the dated steps that led there
        ProposalStatus.SENT: [],
        ProposalStatus.ACCEPTED: [ProposalEventKind.ACCEPTED],
        ProposalStatus.REFUSED: [ProposalEventKind.REFUSED],
        ProposalStatus.DONE: [ProposalEventKind.ACCEPTED, ProposalEventKind.DONE],
    }
    count = 0
    for _ in range(min(len(centres), 4) if jobs else 0):
        centre = rng.choice(centres)
        status = rng.choice(list(steps))
        proposal = Proposal.objects.create(
            centre=centre,
            grid="zone",
            area=zone_of.get(centre.commune_id, ""),
            rome_job=rng.choice(jobs),
            action=rng.choice(ProposalAction.values),
            places=rng.randint(4, 16),
            reasons=[{"code": "demo", "label": "Proposition fictive de démonstration", "value": None}],
            status=status,
            answer="Réponse fictive de démonstration." if status != ProposalStatus.SENT else "",
            is_synthetic=True,
        )
        before = ""
        after = {
            ProposalEventKind.ACCEPTED: ProposalStatus.ACCEPTED,
            ProposalEventKind.REFUSED: ProposalStatus.REFUSED,
            ProposalEventKind.DONE: ProposalStatus.DONE,
        }
        for kind in [ProposalEventKind.CREATED, *steps[status]]:
            current = after.get(kind, ProposalStatus.SENT)
            ProposalEvent.objects.create(
                proposal=proposal, at=timezone.now(), kind=kind, status_before=before, status_after=current,
                note="Étape fictive de démonstration.",
            )  # fmt: skip
            before = current
        count += 1
    run = kpis_recompute(trigger="démonstration", as_of=context.today)
    return {"propositions aux centres": count, "valeurs d'indicateurs": run.rows}


def delete_demo_rows() -> dict[str, int]:
    deleted_proposals, _ = Proposal.objects.filter(is_synthetic=True).delete()
    RegisterScope.objects.filter(is_synthetic=True).delete()
    deleted_values, _ = KpiSeries.objects.all().delete()
    KpiRun.objects.filter(synthetic=True).delete()
    return {"propositions aux centres": deleted_proposals, "valeurs d'indicateurs": deleted_values}
