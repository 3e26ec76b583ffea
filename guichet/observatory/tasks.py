"""Background jobs of the observatory (run by django-q)."""

from guichet.observatory.services import kpis_recompute


def recompute_kpis_task(trigger: str = "tâche de nuit") -> str:
    run = kpis_recompute(trigger=trigger)
    return f"Indicateurs recalculés : {run.contracts} contrats lus, {run.rows} valeurs écrites."
