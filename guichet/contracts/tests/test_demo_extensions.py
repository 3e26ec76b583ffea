import pytest

from guichet.contracts.demo import extensions
from guichet.contracts.demo.extensions import DemoContext, register_demo_step
from guichet.contracts.tests.test_demo import _generate as generate
from guichet.territory.models import Region

pytestmark = pytest.mark.django_db


def test_registered_steps_run_after_the_actors_and_delete_their_rows_first(monkeypatch):
    monkeypatch.setattr(extensions, "_STEPS", {})
    calls: list[str] = []

    def make(context: DemoContext) -> dict[str, int]:
        calls.append(f"generate {context.seed}")
        code = f"D{context.rng('test').randint(10, 99)}"
        Region.objects.create(code=code, name="Région fictive de l'extension")
        return {"régions fictives": 1}

    def remove() -> dict[str, int]:
        calls.append("delete")
        deleted, _ = Region.objects.filter(name="Région fictive de l'extension").delete()
        return {"régions fictives": deleted}

    register_demo_step(name="test", order=10, generate=make, delete=remove)
    first = generate(seed=3)
    second = generate(seed=3)
    assert first.counts["régions fictives"] == 1
    assert second.deleted["régions fictives"] == 1
    assert calls == ["delete", "generate 3", "delete", "generate 3"]
    assert Region.objects.filter(name="Région fictive de l'extension").count() == 1


def test_each_step_has_its_own_deterministic_random_stream():
    context = DemoContext(seed=7, scale="region", ratio=0.1, fraction=1.0, today=None)
    assert context.rng("a").random() == context.rng("a").random()
    assert context.rng("a").random() != context.rng("b").random()
    assert context.size(65_000) == 6_500
    assert context.size(3) == 1
