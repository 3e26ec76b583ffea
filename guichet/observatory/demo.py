"""The observatory's step of the demo population: the register's coverage, a few proposals, fresh summaries."""

from __future__ import annotations

from decimal import Decimal

from guichet.contracts.demo.extensions import DemoContext
from guichet.observatory.models import KpiRun, KpiSeries, Proposal, ProposalAction, ProposalStatus, RegisterScope


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
    proposals = []
    for _ in range(min(len(centres), 4) if jobs else 0):
        centre = rng.choice(centres)
        job = rng.choice(jobs)
        proposals.append(
            Proposal(
                centre=centre,
                grid="zone",
                area="",
                rome_job=job,
                action=rng.choice(ProposalAction.values),
                places=rng.randint(4, 16),
                reasons=[{"code": "demo", "label": "Proposition fictive de démonstration", "value": None}],
                status=rng.choice(ProposalStatus.values),
                is_synthetic=True,
            )
        )
    Proposal.objects.bulk_create(proposals)
    run = kpis_recompute(trigger="démonstration", as_of=context.today)
    return {"propositions aux centres": len(proposals), "valeurs d'indicateurs": run.rows}


def delete_demo_rows() -> dict[str, int]:
    deleted_proposals, _ = Proposal.objects.filter(is_synthetic=True).delete()
    RegisterScope.objects.filter(is_synthetic=True).delete()
    deleted_values, _ = KpiSeries.objects.all().delete()
    KpiRun.objects.filter(synthetic=True).delete()
    return {"propositions aux centres": deleted_proposals, "valeurs d'indicateurs": deleted_values}
