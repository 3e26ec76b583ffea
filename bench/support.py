"""Benchmark of the support app: deadline computation, knowledge search, request creation (routing + assignment).

    GUICHET_VAR_DIR=/tmp/bench-support .venv/bin/python bench/support.py [--pages 2000] [--requests 300]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_support .venv/bin/python bench/support.py

One command: it migrates the database named by DATABASE_URL (SQLite file under GUICHET_VAR_DIR by default),
loads the territory and knowledge reference data when missing, then times, in the same run:

1. `answer_deadline` over 10 000 (date, working days) pairs spanning 2026-2028 (pure calendar rule);
2. the knowledge search for 8 queries (with synonyms) over the seed pages, then over the seed pages plus
   `--pages` synthetic pages (PostgreSQL: full-text search, French configuration; SQLite: the fallback);
3. `request_create` (zone d'emploi lookup, routing rule, least-loaded advisor, deadline, message) for
   `--requests` requests, with the e-mails queued in-process.

Synthetic rows are flagged `is_synthetic` and deleted at the end. Prints p50/p95 and ratios.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from pgdatabase import ensure_database

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["salaire", "patron", "rupture du contrat", "handicap", "logement", "aide embauche", "opco", "permis"]


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings.base")
    os.environ.setdefault("TASKS_SYNC", "true")
    os.environ.setdefault("EMAIL_URL", "memorymail://")
    import django

    django.setup()


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    ensure_database()
    _setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, skip_checks=True)
    from guichet.core.reference import load_reference_data
    from guichet.support.deadlines import answer_deadline
    from guichet.support.models import KnowledgePage, RoutingRule, SupportRequest, Team, TeamMember
    from guichet.support.search import page_search_fields, pages_reindex
    from guichet.support.selectors import page_search
    from guichet.support.services import request_create
    from guichet.territory.models import Basin, BasinGrid, Commune

    started = time.perf_counter()
    if not Commune.objects.exists():
        load_reference_data(only=["territory", "knowledge"])
    elif not KnowledgePage.objects.exists():
        load_reference_data(only=["knowledge"])
    print(f"Base : {connection.vendor} ; données de référence prêtes en {time.perf_counter() - started:.1f} s")

    # 1. Deadlines.
    rng = random.Random(5)
    pairs = [(date(2026, 1, 1) + timedelta(days=rng.randrange(3 * 365)), rng.randrange(1, 11)) for _ in range(10_000)]
    t0 = time.perf_counter()
    for day, days in pairs:
        answer_deadline(received_on=day, working_days=days)
    per_call_us = (time.perf_counter() - t0) / len(pairs) * 1e6
    print(f"answer_deadline : {per_call_us:.1f} µs par calcul (10 000 calculs, 2026-2028)")

    # 2. Knowledge search.
    def time_searches(label: str) -> float:
        samples = []
        for _ in range(5):
            for q in QUERIES:
                t = time.perf_counter()
                results = page_search(q=q)
                samples.append(time.perf_counter() - t)
                assert results or label.startswith("avec"), q
        p50, p95 = _percentiles(samples)
        print(f"recherche {label} ({KnowledgePage.objects.count()} pages) : p50 {p50:.1f} ms, p95 {p95:.1f} ms")
        return p50

    seed_p50 = time_searches("pages réelles")
    words = [
        "contrat",
        "apprenti",
        "employeur",
        "salaire",
        "formation",
        "aide",
        "logement",
        "transport",
        "rupture",
        "handicap",
    ]
    synthetic = []
    for index in range(args.pages):
        body = " ".join(rng.choice(words) for _ in range(300))
        title = f"Page fictive {index} {rng.choice(words)}"
        synthetic.append(
            KnowledgePage(
                slug=f"bench-{index}", title=title, summary="Page fictive de mesure", body=body, sources="bench",
                audiences=["jeunes"], owner_label="bench", last_reviewed_on=date(2026, 1, 1),
                next_review_on=date(2027, 1, 1), is_synthetic=True,
                **page_search_fields(title=title, summary="Page fictive de mesure", body=body),
            )
        )  # fmt: skip
    KnowledgePage.objects.bulk_create(synthetic, batch_size=500)
    t = time.perf_counter()
    pages_reindex(KnowledgePage.objects.filter(slug__startswith="bench-"))
    print(f"  index des {args.pages} pages fictives : {time.perf_counter() - t:.2f} s")
    try:
        big_p50 = time_searches(f"avec {args.pages} pages fictives")
        print(f"  rapport p50 : x{big_p50 / seed_p50:.1f} pour x{KnowledgePage.objects.count() / 10:.0f} pages")
    finally:
        KnowledgePage.objects.filter(is_synthetic=True, slug__startswith="bench-").delete()

    # 3. Request creation.
    from guichet.accounts.models import Role, User

    basin = Basin.objects.get(grid=BasinGrid.ZONE_EMPLOI, code="3220")
    team = Team.objects.create(name="Équipe de mesure (fictive)", is_synthetic=True)
    RoutingRule.objects.filter(basin=basin, topic="").delete()
    RoutingRule.objects.create(basin=basin, topic="", team=team)
    users = [User.objects.create_user(f"bench-{i}@bench.example", None, role=Role.ADVISOR) for i in range(6)]
    for user in users:
        TeamMember.objects.create(team=team, user=user)
    commune = Commune.objects.get(insee="02691")
    samples = []
    try:
        for index in range(args.requests):
            t = time.perf_counter()
            request_create(
                topic="remuneration", profile="parent", commune=commune, name="Mesure", email="mesure@bench.example",
                message=f"Question de mesure {index}",
            )  # fmt: skip
            samples.append(time.perf_counter() - t)
        loads = sorted(
            SupportRequest.objects.filter(team=team).values_list("advisor_id", flat=True).distinct().count()
            for _ in [0]
        )
        p50, p95 = _percentiles(samples)
        per_advisor = [SupportRequest.objects.filter(advisor=user).count() for user in users]
        print(
            f"request_create : p50 {p50:.1f} ms, p95 {p95:.1f} ms ({args.requests} demandes ; "
            f"répartition entre {loads[0]} conseillers : {min(per_advisor)} à {max(per_advisor)} chacun)"
        )
    finally:
        SupportRequest.objects.filter(team=team).delete()
        team.delete()
        User.objects.filter(email__endswith="@bench.example").delete()


if __name__ == "__main__":
    main()
