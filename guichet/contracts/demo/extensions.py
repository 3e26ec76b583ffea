"""Extension points of the demo population generator, for the apps below `contracts`.

`generate_demo_population` is ONE generator with one entry point. Apps below contracts in the
dependency order (matching, aids, support, observatory) cannot be imported by it, so they register
a step in their AppConfig.ready():

    register_demo_step(name="support", order=50, generate=generate_requests, delete=delete_requests)

Steps run in `order`, after the actors (establishments, trainings, offers, candidates, contracts) are
generated, inside the same transaction; their deletions run first, in reverse order, before the base
population is deleted. Each step draws from its own random generator (`context.rng`), seeded from the
seed and the step name, so adding a step never changes the rows of the others.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DemoContext:
    seed: int
    scale: str
    ratio: float  # share of the real magnitudes generated (e.g. 0.1)
    fraction: float  # further reduction used by tests
    today: date

    def rng(self, name: str) -> random.Random:
        return random.Random(f"{self.seed}:{name}")

    def size(self, real_count: float, *, minimum: int = 1) -> int:
        """How many rows to generate for a real-world count, at this scale."""
        return max(minimum, round(real_count * self.ratio * self.fraction))


@dataclass(frozen=True)
class DemoStep:
    name: str
    order: int
    generate: Callable[[DemoContext], dict[str, int]]  # returns {label: rows created}
    delete: Callable[[], dict[str, int]]  # deletes this step's synthetic rows; returns {label: rows deleted}


_STEPS: dict[str, DemoStep] = {}


def register_demo_step(
    *,
    name: str,
    order: int,
    generate: Callable[[DemoContext], dict[str, int]],
    delete: Callable[[], dict[str, int]],
) -> None:
    _STEPS[name] = DemoStep(name=name, order=order, generate=generate, delete=delete)


def demo_steps() -> list[DemoStep]:
    return sorted(_STEPS.values(), key=lambda step: (step.order, step.name))
