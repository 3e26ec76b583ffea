"""Load scenario of the main journeys, driven by bench/load.py (read it first; it sets the environment).

Visitors search offers, open an offer, run the salary simulator, open the support request form and the
home page; analysts open the observatory dashboard (signed in once by load.py, the session shared: a
login per simulated user would measure password hashing, not the service). Each simulated user sends one
request per second at most (`constant_throughput(1)`), so the number of users is the target request rate.

The step shape raises the rate step by step (LOAD_RATES, LOAD_STEP_SECONDS) and stops after the first
step that misses the goal (p95 >= LOAD_P95_MS or any error). Per-step figures, measured after the first
LOAD_SETTLE_SECONDS of each step (users are still starting), are written to LOAD_RESULTS as JSON.

Every request carries `X-Forwarded-Proto: https`, as the TLS-terminating proxy of a real deployment does:
the production settings redirect plain HTTP and set Secure cookies.
"""

from __future__ import annotations

import json
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from locust import LoadTestShape, constant_throughput, events, task
from locust.contrib.fasthttp import FastHttpUser

RATES = [int(rate) for rate in os.environ.get("LOAD_RATES", "5,10").split(",")]
STEP_SECONDS = float(os.environ.get("LOAD_STEP_SECONDS", "60"))
SETTLE_SECONDS = float(os.environ.get("LOAD_SETTLE_SECONDS", "5"))
P95_GOAL_MS = float(os.environ.get("LOAD_P95_MS", "500"))
RESULTS = Path(os.environ.get("LOAD_RESULTS", "load-results.json"))
TARGETS = json.loads(Path(os.environ["LOAD_TARGETS"]).read_text()) if "LOAD_TARGETS" in os.environ else {}
ANALYST_COOKIE = os.environ.get("LOAD_ANALYST_COOKIE", "")
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


@dataclass
class Step:
    rate: int
    started: float = 0.0
    times_ms: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    by_name: dict[str, list[float]] = field(default_factory=dict)

    def record(self, *, name: str, response_time: float, error: str | None) -> None:
        self.times_ms.append(response_time)
        self.by_name.setdefault(name, []).append(response_time)
        if error:
            key = f"{name}: {error}"
            self.failures[key] = self.failures.get(key, 0) + 1

    def summary(self) -> dict[str, object]:
        window = max(STEP_SECONDS - SETTLE_SECONDS, 1e-9)
        count = len(self.times_ms)
        errors = sum(self.failures.values())
        p95 = percentile(self.times_ms, 95)
        return {
            "rate_target": self.rate,
            "requests": count,
            "rate_achieved": round(count / window, 1),
            "errors": errors,
            "failures": self.failures,
            "p50_ms": percentile(self.times_ms, 50),
            "p95_ms": p95,
            "p99_ms": percentile(self.times_ms, 99),
            "max_ms": round(max(self.times_ms), 1) if self.times_ms else None,
            "p95_by_journey_ms": {name: percentile(times, 95) for name, times in sorted(self.by_name.items())},
            "load_average_1min": round(os.getloadavg()[0], 2),
            "passed": bool(count) and errors == 0 and p95 is not None and p95 < P95_GOAL_MS,
        }


def percentile(values: list[float], rank: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(rank / 100 * len(ordered) + 0.5) - 1))
    return round(ordered[index], 1)


class Recorder:
    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.stopped_early = False

    def current(self) -> Step | None:
        return self.steps[-1] if self.steps else None

    def write(self) -> None:
        payload = {
            "step_seconds": STEP_SECONDS,
            "settle_seconds": SETTLE_SECONDS,
            "p95_goal_ms": P95_GOAL_MS,
            "stopped_early": self.stopped_early,
            "steps": [step.summary() for step in self.steps],
        }
        RESULTS.write_text(json.dumps(payload, indent=2, ensure_ascii=False))


recorder = Recorder()


@events.request.add_listener
def _on_request(name, response_time, exception, response=None, **kwargs) -> None:
    step = recorder.current()
    if step is None or time.monotonic() - step.started < SETTLE_SECONDS:
        return
    error = None
    if exception is not None:
        status = getattr(response, "status_code", None)
        error = f"HTTP {status}" if status else type(exception).__name__
    step.record(name=name, response_time=response_time, error=error)


@events.quitting.add_listener
def _on_quit(environment, **kwargs) -> None:
    recorder.write()


class StepShape(LoadTestShape):
    """One step per rate of LOAD_RATES, LOAD_STEP_SECONDS each; stop after the first step that fails."""

    def tick(self) -> tuple[int, float] | None:
        index = int(self.get_run_time() // STEP_SECONDS)
        if index >= len(RATES):
            return None
        if index >= len(recorder.steps):
            previous = recorder.current()
            if previous is not None and not previous.summary()["passed"]:
                recorder.stopped_early = True
                return None
            recorder.steps.append(Step(rate=RATES[index], started=time.monotonic()))
        rate = RATES[index]
        return rate, max(rate, 10)


def _check(response, *, expect: bytes | None = None) -> None:
    if response.status_code != 200:
        response.failure(f"HTTP {response.status_code}")
    elif expect is not None and expect not in response.content:
        response.failure("contenu inattendu")


class Visitor(FastHttpUser):
    """An anonymous young person or employer: search, offer page, simulator, request form, home page."""

    wait_time = constant_throughput(1)
    default_headers = PROXY_HEADERS

    @task(3)
    def search(self) -> None:
        rome, insee = random.choice(TARGETS["searches"])
        params = f"?rome={rome}&rome_label=&insee={insee}&insee_label=&radius_km=30"
        with self.client.get("/recherche/" + params, name="recherche", catch_response=True) as response:
            _check(response, expect=b"offre")

    @task(3)
    def offer_detail(self) -> None:
        pk = random.choice(TARGETS["offers"])
        with self.client.get(f"/offres/{pk}/", name="offre", catch_response=True) as response:
            _check(response)

    @task(2)
    def salary_simulator(self) -> None:
        birth_year = random.randint(2003, 2010)
        params = f"?birth_date={birth_year}-03-15&contract_start=2026-09-01&contract_end=2028-08-31&weekly_hours=35"
        with self.client.get("/aides/salaire/" + params, name="simulateur", catch_response=True) as response:
            _check(response, expect=b"\xe2\x82\xac")  # the euro sign of the computed pay

    @task(1)
    def support_form(self) -> None:
        with self.client.get("/accompagnement/question/", name="formulaire", catch_response=True) as response:
            _check(response, expect=b"<form")

    @task(1)
    def home(self) -> None:
        with self.client.get("/", name="accueil", catch_response=True) as response:
            _check(response)


class Analyst(FastHttpUser):
    """An analyst of the Region on the observatory dashboard (signed in by load.py)."""

    fixed_count = 1  # one analyst at every step (by weight, the first steps would have none)
    wait_time = constant_throughput(1)
    default_headers = {**PROXY_HEADERS, "Cookie": ANALYST_COOKIE}

    @task
    def dashboard(self) -> None:
        with self.client.get(
            "/observatoire/", name="observatoire", allow_redirects=False, catch_response=True
        ) as response:
            _check(response, expect=b"<h1")
