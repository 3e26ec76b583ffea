"""Fault tests: what happens when things break, on a real PostgreSQL, processes and disk.

    .venv/bin/python bench/faults.py                       # every scenario, on a throwaway cluster
    .venv/bin/python bench/faults.py postgres-restart      # one scenario
    .venv/bin/python bench/faults.py --cluster 15/main     # restart ANOTHER cluster (kills its sessions!)

By default it creates its own PostgreSQL cluster (`pg_createcluster 15 faults -p 5440`, trust on
loopback), loads the reference data and the regional demo population into it, runs the scenarios and
drops the cluster (--keep to keep it). Run as root (pg_ctlcluster, mount of a tmpfs). Scenarios:

- import-kill: `import_reference_data` killed with SIGKILL while its transaction is writing -> every
  table has the same row count as before; the import run again completes. The contracts import is
  covered by guichet/contracts/tests/test_importers.py::test_killing_the_import_midway_leaves_no_contract_
  behind, run here against this cluster (`contracts-kill`).
- postgres-restart: granian (production settings, 2 workers) under a steady request load while the
  cluster is restarted, then stopped for --down seconds and started -> no 500 and no refused
  connection, every error is a 503 with Retry-After and a French page (JSON under /api/), and the
  service answers 200 again by itself, with the same worker processes.
- disk-full: the media folder on a tiny tmpfs, nearly full; the support request form is sent with a
  PDF -> a French 507 page, no request row, no file (not even a partial one); with room again, the same
  form is accepted.
- task-crash: a task worker (django-q2 qcluster) killed with SIGKILL while it writes the observatory's
  KPI recomputation -> the task is handed out again (TASK_RETRY seconds later), runs once more and
  succeeds: one task result, one KPI run, nothing from the killed attempt.

The report (JSON) is written to the var dir; docs/benchmarks/faults.md holds the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import psutil
import psycopg
import requests

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
MANAGE = [PYTHON, str(ROOT / "manage.py")]
SCENARIOS = ("import-kill", "contracts-kill", "postgres-restart", "disk-full", "task-crash")
PROXY = {"X-Forwarded-Proto": "https"}


class Failed(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)


# ---------------------------------------------------------------------------------------------------------
# PostgreSQL cluster


@dataclass
class Cluster:
    version: str
    name: str
    port: int
    created: bool = False

    @property
    def label(self) -> str:
        return f"{self.version}/{self.name}"

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/{database}", autocommit=True)

    def ctl(self, action: str) -> float:
        started = time.monotonic()
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, action],
            check=True,
            capture_output=True,
        )
        return time.monotonic() - started

    def recreate_database(self, name: str) -> None:
        with self.connect() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with self.connect() as connection:
                    connection.execute("SELECT 1")
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)


def cluster_open(spec: str | None, port: int) -> Cluster:
    if spec:
        version, name = spec.split("/")
        line = next(
            (row.split() for row in _lsclusters() if row.split()[:2] == [version, name]),
            None,
        )
        if line is None:
            raise SystemExit(f"Cluster {spec} introuvable (pg_lsclusters).")
        cluster = Cluster(version, name, int(line[2]))
        cluster.wait_ready()
        return cluster
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    if any(row.split()[:2] == [version, "faults"] for row in _lsclusters()):
        raise SystemExit(
            f"Le cluster {version}/faults existe déjà : supprimez-le (pg_dropcluster --stop {version} faults) "
            f"ou passez --cluster {version}/faults."
        )
    print(f"Création du cluster jetable {version}/faults sur le port {port}", flush=True)
    subprocess.run(
        ["pg_createcluster", version, "faults", "-p", str(port), "--", "--auth-local=trust", "--auth-host=trust"],
        check=True,
        capture_output=True,
    )
    cluster = Cluster(version, "faults", port, created=True)
    cluster.ctl("start")
    cluster.wait_ready()
    return cluster


def _lsclusters() -> list[str]:
    return subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
    ).stdout.splitlines()


def cluster_drop(cluster: Cluster) -> None:
    subprocess.run(["pg_dropcluster", "--stop", cluster.version, cluster.name], check=False, capture_output=True)


def table_counts(cluster: Cluster, database: str) -> dict[str, int]:
    with cluster.connect(database) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        return {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


def writing_backends(cluster: Cluster, database: str, query_like: str = "%") -> list[tuple[int, int | None]]:
    """(server pid, client port) of the sessions of `database` inside a transaction that has written,
    whose current or last query matches `query_like`."""
    with cluster.connect() as connection:
        return connection.execute(
            "SELECT pid, client_port FROM pg_stat_activity"
            " WHERE datname = %s AND backend_xid IS NOT NULL AND query LIKE %s",
            [database, query_like],
        ).fetchall()


# ---------------------------------------------------------------------------------------------------------
# Processes


def environment(*, cluster: Cluster, database: str, var_dir: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": cluster.url(database),
            "GUICHET_VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "guichet.settings.base",
            "LOG_LEVEL": "WARNING",
        }
    )
    env.update(extra)
    return env


def production_environment(*, cluster: Cluster, database: str, var_dir: Path) -> dict[str, str]:
    return environment(
        cluster=cluster,
        database=database,
        var_dir=var_dir,
        DJANGO_SETTINGS_MODULE="guichet.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        CACHE_URL="locmemcache://",
        EMAIL_URL="consolemail://",
    )


def manage(*args: str, env: dict[str, str], quiet: bool = False) -> None:
    subprocess.run(
        [*MANAGE, *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def django_eval(code: str, *, env: dict[str, str]) -> str:
    script = "import django\ndjango.setup()\n" + code
    return subprocess.run(
        [PYTHON, "-c", script], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Granian:
    def __init__(self, *, env: dict[str, str], workers: int, log: Path) -> None:
        self.env, self.workers, self.log = env, workers, log
        self.base = f"http://127.0.0.1:{free_port()}"

    def __enter__(self) -> Granian:
        port = self.base.rsplit(":", 1)[1]
        command = [
            str(ROOT / ".venv" / "bin" / "granian"),
            "--interface", "wsgi", "--host", "127.0.0.1", "--port", port,
            "--workers", str(self.workers), "--blocking-threads", "4", "--no-ws", "--log-level", "warning",
            "guichet.wsgi:application",
        ]  # fmt: skip
        self.log_file = self.log.open("w")
        self.process = subprocess.Popen(
            command, env=self.env, cwd=ROOT, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 90
        while True:
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.base + "/healthz", headers=PROXY, timeout=2).status_code == 200:
                    return self
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise Failed(f"granian ne démarre pas : voir {self.log}")
            time.sleep(0.5)

    def pids(self) -> set[int]:
        with contextlib.suppress(psutil.NoSuchProcess):
            parent = psutil.Process(self.process.pid)
            return {parent.pid, *(child.pid for child in parent.children(recursive=True))}
        return set()

    def __exit__(self, *exc: object) -> None:
        stop_group(self.process)
        self.log_file.close()


def stop_group(process: subprocess.Popen) -> None:
    """TERM then KILL to the process group of a process started with start_new_session (ours only)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    with contextlib.suppress(ProcessLookupError):  # children left in the group
        os.killpg(process.pid, signal.SIGKILL)


# ---------------------------------------------------------------------------------------------------------
# Scenarios


def scenario_import_kill(cluster: Cluster, var_dir: Path) -> dict[str, object]:
    database = "faults_import"
    cluster.recreate_database(database)
    env = environment(cluster=cluster, database=database, var_dir=var_dir)
    manage("migrate", "--noinput", "-v", "0", env=env)
    before = table_counts(cluster, database)
    process = subprocess.Popen(
        [*MANAGE, "import_reference_data"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    started = time.monotonic()
    first_write = None
    while process.poll() is None and time.monotonic() - started < 300:
        if writing_backends(cluster, database):
            first_write = time.monotonic()
            break
        time.sleep(0.05)
    check(first_write is not None, "l'import s'est terminé avant d'écrire : impossible de le tuer en cours d'écriture")
    time.sleep(random.uniform(0.5, 2.0))
    check(process.poll() is None, "l'import s'est terminé avant d'être tué : relancez (machine trop rapide ?)")
    rows_in_flight = writing_backends(cluster, database)
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed_after = time.monotonic() - first_write
    check(process.returncode == -signal.SIGKILL, f"code de sortie inattendu : {process.returncode}")
    deadline = time.monotonic() + 30  # the server notices the dead client and rolls back
    while writing_backends(cluster, database) and time.monotonic() < deadline:
        time.sleep(0.1)
    after_kill = table_counts(cluster, database)
    changed = {table: (before[table], count) for table, count in after_kill.items() if before.get(table) != count}
    check(not changed, f"tables modifiées par l'import tué : {changed}")
    clock = time.monotonic()
    manage("import_reference_data", env=env, quiet=True)
    rerun_seconds = time.monotonic() - clock
    after_rerun = table_counts(cluster, database)
    loaded = {table: count for table, count in after_rerun.items() if count != before.get(table)}
    check(len(loaded) >= 10, "l'import relancé n'a presque rien chargé : le test ne prouve rien")
    return {
        "killed_seconds_after_first_write": round(killed_after, 2),
        "transaction_open_when_killed": bool(rows_in_flight),
        "tables_checked": len(after_kill),
        "tables_changed_by_killed_import": 0,
        "rerun_seconds": round(rerun_seconds, 1),
        "tables_loaded_by_rerun": len(loaded),
        "rows_loaded_by_rerun": sum(loaded.values()) - sum(before.get(table, 0) for table in loaded),
    }


def scenario_contracts_kill(cluster: Cluster, var_dir: Path) -> dict[str, object]:
    env = environment(cluster=cluster, database="faults_contracts", var_dir=var_dir)
    env.pop("DJANGO_SETTINGS_MODULE")  # pytest's own settings (guichet.settings.test)
    test = "guichet/contracts/tests/test_importers.py::test_killing_the_import_midway_leaves_no_contract_behind"
    clock = time.monotonic()
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "pytest"), "-n", "0", "-q", "-p", "no:randomly", "--create-db", test],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    check(result.returncode == 0, f"le test de l'import de contrats tué échoue :\n{result.stdout[-2000:]}")
    return {"test": test, "passed": True, "seconds": round(time.monotonic() - clock, 1)}


class LoadDriver:
    """Threads sending requests in a loop; every answer recorded with its time."""

    def __init__(self, base: str, paths: list[str], threads: int) -> None:
        self.base, self.paths, self.threads = base, paths, threads
        self.records: list[dict[str, object]] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def _run(self) -> None:
        session = requests.Session()
        while not self.stop.is_set():
            path = random.choice(self.paths)
            started = time.monotonic()
            record: dict[str, object] = {"t": started, "path": path}
            try:
                response = session.get(self.base + path, headers=PROXY, timeout=30, allow_redirects=False)
                record |= {
                    "status": response.status_code,
                    "type": response.headers.get("Content-Type", ""),
                    "retry_after": response.headers.get("Retry-After"),
                    "body": response.text if response.status_code >= 500 else "",
                }
            except requests.RequestException as error:
                record |= {"status": None, "error": type(error).__name__}
            record["ms"] = (time.monotonic() - started) * 1000
            with self.lock:
                self.records.append(record)

    def __enter__(self) -> LoadDriver:
        self.workers = [threading.Thread(target=self._run, daemon=True) for _ in range(self.threads)]
        for worker in self.workers:
            worker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for worker in self.workers:
            worker.join(timeout=60)


def _clean_error(record: dict[str, object]) -> bool:
    """A 503 with Retry-After and a French body: JSON {"detail"} under /api/, the outage page otherwise."""
    if record["status"] != 503 or not record.get("retry_after"):
        return False
    body = str(record.get("body", ""))
    if "Traceback" in body:
        return False
    if str(record["path"]).startswith("/api/") or str(record["path"]) == "/healthz":
        try:
            payload = json.loads(body)
        except ValueError:
            return False
        return "indisponible" in json.dumps(payload, ensure_ascii=False)
    return "Service momentanément indisponible" in body and '<html lang="fr">' in body


def scenario_postgres_restart(
    cluster: Cluster, var_dir: Path, *, database: str, down_seconds: float, threads: int
) -> dict[str, object]:
    env = production_environment(cluster=cluster, database=database, var_dir=var_dir)
    targets = json.loads(
        django_eval(
            "import json\nfrom guichet.offers.models import Offer\n"
            "offers = Offer.objects.filter(status='published').order_by('pk')[:50]\n"
            "print(json.dumps([[o.pk, o.rome_job.code, o.commune.insee] for o in offers]))",
            env=env,
        )
    )
    paths = ["/", "/aides/salaire/?birth_date=2007-03-15&contract_start=2026-09-01&contract_end=2028-08-31"]
    paths += ["/api/v1/communes?q=amiens", "/accompagnement/question/"]
    for pk, rome, insee in targets[:10]:
        paths.append(f"/offres/{pk}/")
        paths.append(f"/recherche/?rome={rome}&rome_label=&insee={insee}&insee_label=&radius_km=30")
    results: dict[str, object] = {"threads": threads, "paths": len(paths)}
    with Granian(env=env, workers=2, log=var_dir / "faults-granian.log") as server:
        pids_before = server.pids()
        with LoadDriver(server.base, paths, threads) as load:
            time.sleep(8)
            events = {"restart_start": time.monotonic()}
            events["restart_seconds"] = cluster.ctl("restart")
            events["restart_end"] = time.monotonic()
            time.sleep(8)
            events["stop_start"] = time.monotonic()
            cluster.ctl("stop")
            time.sleep(down_seconds)
            cluster.ctl("start")
            events["start_end"] = time.monotonic()
            time.sleep(15)
        pids_after = server.pids()
    records = load.records
    statuses = Counter(str(record["status"]) for record in records)
    errors = [record for record in records if record["status"] != 200]
    unclean = [record for record in errors if not _clean_error(record)]
    last_error = max((record["t"] for record in errors), default=events["start_end"])
    tail = [record for record in records if record["t"] > events["start_end"] + 5]
    results.update(
        {
            "requests": len(records),
            "statuses": dict(statuses),
            "errors_503_clean": len(errors) - len(unclean),
            "errors_not_clean": len(unclean),
            "examples_not_clean": [
                {key: str(value)[:300] for key, value in record.items() if key != "t"} for record in unclean[:5]
            ],
            "restart_seconds": round(events["restart_seconds"], 2),
            "down_seconds": down_seconds,
            "last_error_seconds_after_start_returned": round(last_error - events["start_end"], 2),
            "errors_during_restart": sum(
                1 for r in errors if events["restart_start"] <= r["t"] <= events["restart_end"] + 2
            ),
            "errors_during_stop": sum(1 for r in errors if events["stop_start"] <= r["t"] <= events["start_end"] + 2),
            "requests_after_recovery": len(tail),
            "requests_after_recovery_ok": sum(1 for record in tail if record["status"] == 200),
            "server_processes_unchanged": pids_before == pids_after,
        }
    )
    check(
        statuses.get("503", 0) > 0, "aucune erreur 503 observée : la coupure n'a pas été vue, le test ne prouve rien"
    )
    check(not unclean, f"{len(unclean)} réponses d'erreur non conformes : {results['examples_not_clean']}")
    check(tail and all(record["status"] == 200 for record in tail), "le service n'est pas revenu seul en 5 s")
    check(pids_before == pids_after, "des processus du serveur ont été relancés")
    return results


def scenario_disk_full(cluster: Cluster, var_dir: Path, *, database: str) -> dict[str, object]:
    media = var_dir / "media"
    if media.is_mount():
        subprocess.run(["umount", str(media)], check=True)
    if media.exists():
        shutil.rmtree(media)
    media.mkdir(parents=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(media)], capture_output=True)
    if mounted.returncode != 0:
        return {"skipped": f"montage d'un tmpfs impossible ({mounted.stderr.decode().strip()}) : "
                "guichet/core/tests/test_outages.py simule le disque plein"}  # fmt: skip
    try:
        env = production_environment(cluster=cluster, database=database, var_dir=var_dir)
        with Granian(env=env, workers=1, log=var_dir / "faults-granian-disk.log") as server:
            filler = media / "remplissage"
            with filler.open("wb") as handle:  # leave 48 KiB free
                handle.write(b"\0" * (shutil.disk_usage(media).free - 48 * 1024))
            files_before = sorted(str(path) for path in media.rglob("*") if path.is_file())
            requests_before = _support_requests(cluster, database)
            pdf = b"%PDF-1.4\n" + b"0" * 300_000 + b"\n%%EOF\n"
            full = _send_support_form(server.base, pdf)
            files_after = sorted(str(path) for path in media.rglob("*") if path.is_file())
            requests_after_full = _support_requests(cluster, database)
            filler.unlink()
            accepted = _send_support_form(server.base, pdf)
            stored = [path for path in media.rglob("*") if path.is_file()]
        result = {
            "free_bytes_before_upload": 48 * 1024,
            "upload_bytes": len(pdf),
            "status_when_full": full.status_code,
            "french_message": "l'espace de stockage du service est plein" in full.text,
            "rows_written_when_full": requests_after_full - requests_before,
            "files_written_when_full": len(files_after) - len(files_before),
            "status_with_room": accepted.status_code,
            "files_stored_with_room": len(stored),
            "partial_files_left": sum(1 for path in stored if ".partial" in path.name),
        }
        check(full.status_code == 507, f"disque plein : statut {full.status_code} au lieu de 507")
        check(bool(result["french_message"]), "disque plein : message français absent")
        check(result["rows_written_when_full"] == 0, "disque plein : une demande a été enregistrée")
        check(result["files_written_when_full"] == 0, "disque plein : un fichier (partiel) est resté")
        check(accepted.status_code == 302, f"avec de la place : statut {accepted.status_code} au lieu de 302")
        check(len(stored) == 1 and result["partial_files_left"] == 0, "avec de la place : fichier non enregistré")
        return result
    finally:
        subprocess.run(["umount", str(media)], check=False)


def _support_requests(cluster: Cluster, database: str) -> int:
    with cluster.connect(database) as connection:
        return connection.execute("SELECT count(*) FROM support_supportrequest").fetchone()[0]


def _send_support_form(base: str, pdf: bytes) -> requests.Response:
    """Fill the support form as a visitor would: CSRF token, fill-time token, then the form with a PDF."""
    headers = PROXY
    page = requests.get(base + "/accompagnement/question/", headers=headers, timeout=30)
    check(page.status_code == 200, f"formulaire : statut {page.status_code}")
    tokens = dict(re.findall(r'name="(csrfmiddlewaretoken|started)" value="([^"]+)"', page.text))
    # Secure cookies ("__Host-") are not sent back over plain HTTP by requests: send them by hand.
    cookie = "; ".join(f"{key}={value}" for key, value in page.cookies.items())
    time.sleep(3.5)  # the form refuses answers typed faster than a person could
    data = {
        "csrfmiddlewaretoken": tokens["csrfmiddlewaretoken"],
        "started": tokens["started"],
        "profile": "parent",
        "topic": "remuneration",
        "commune": "80021",
        "commune_label": "Amiens (80000)",
        "message": "Combien sera payé mon fils de 17 ans en première année ?",
        "name": "Claire Parent",
        "email": "claire.parent@exemple.fr",
        "contact_preference": "email",
        "phone": "",
        "site_web": "",
    }
    return requests.post(
        base + "/accompagnement/question/",
        data=data,
        files={"attachments": ("fiche.pdf", pdf, "application/pdf")},
        headers={**headers, "Cookie": cookie, "Origin": base.replace("http://", "https://")},
        allow_redirects=False,
        timeout=60,
    )


def scenario_task_crash(cluster: Cluster, var_dir: Path, *, database: str) -> dict[str, object]:
    # Short timeout and retry so that the lost task comes back within a minute (production: 30 and 31 min).
    env = environment(
        cluster=cluster, database=database, var_dir=var_dir, TASK_TIMEOUT="45", TASK_RETRY="50", TASK_WORKERS="2"
    )
    kpi_runs_before = _count(cluster, database, "observatory_kpirun")
    qlog = (var_dir / "faults-qcluster.log").open("w")
    cluster_process = subprocess.Popen(
        [*MANAGE, "qcluster"], env=env, cwd=ROOT, stdout=qlog, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        time.sleep(5)  # the cluster starts its workers
        task_id = django_eval(
            "from django_q.tasks import async_task\n"
            "print(async_task('guichet.observatory.tasks.recompute_kpis_task', 'test de panne'))",
            env=env,
        )
        queued = time.monotonic()
        victim = None
        while victim is None and time.monotonic() - queued < 120:
            # The KPI transaction (the task broker's own short transactions write elsewhere).
            ports = {port for _, port in writing_backends(cluster, database, "%observatory_%") if port}
            if ports:
                for process in psutil.Process(cluster_process.pid).children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        if any(c.laddr.port in ports for c in process.connections(kind="tcp")):
                            victim = process
            time.sleep(0.02)
        check(victim is not None, "aucun worker n'a été vu en train d'écrire les indicateurs")
        victim.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        check(
            _count(cluster, database, "observatory_kpirun") == kpi_runs_before,
            "la tentative tuée a laissé un calcul d'indicateurs",
        )
        deadline = time.monotonic() + 180
        done = None
        while time.monotonic() < deadline:
            with cluster.connect(database) as connection:
                done = connection.execute(
                    "SELECT success, attempt_count, stopped FROM django_q_task WHERE id = %s", [task_id]
                ).fetchone()
            if done:
                break
            time.sleep(0.5)
        check(done is not None, "la tâche n'a pas été relancée après la panne du worker")
        time.sleep(55)  # longer than TASK_RETRY: a second delivery of the task would show up now
        with cluster.connect(database) as connection:
            tasks = connection.execute("SELECT count(*) FROM django_q_task WHERE id = %s", [task_id]).fetchone()[0]
            queue = connection.execute("SELECT count(*) FROM django_q_ormq").fetchone()[0]
        kpi_runs_after = _count(cluster, database, "observatory_kpirun")
        result = {
            "killed_worker_pid": victim.pid,
            "seconds_from_kill_to_success": round(time.monotonic() - killed_at, 1),
            "task_success": bool(done[0]),
            # django-q2 counts attempts that saved a result: the killed one saved nothing.
            "attempts_saved": done[1],
            "task_results": tasks,
            "kpi_runs_added": kpi_runs_after - kpi_runs_before,
            "left_in_queue": queue,
            "cluster_still_running": cluster_process.poll() is None,
        }
        check(done[0], "la tâche relancée a échoué")
        check(tasks == 1 and kpi_runs_after - kpi_runs_before == 1, "la tâche a été exécutée en double")
        check(queue == 0, "la tâche est restée dans la file")
        return result
    finally:
        stop_group(cluster_process)
        qlog.close()


def _count(cluster: Cluster, database: str, table: str) -> int:
    with cluster.connect(database) as connection:
        return connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


# ---------------------------------------------------------------------------------------------------------


def populate(cluster: Cluster, database: str, var_dir: Path) -> None:
    cluster.recreate_database(database)
    env = environment(cluster=cluster, database=database, var_dir=var_dir)
    print("Préparation : migrations, données de référence, population régionale (1 à 3 min)", flush=True)
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("import_reference_data", env=env, quiet=True)
    manage("generate_demo_population", "--seed", "42", "--scale", "region", env=env, quiet=True)
    manage("collectstatic", "--noinput", "-v", "0", env=env)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="*", metavar="scenario", help=", ".join(SCENARIOS))
    parser.add_argument("--cluster", help="VERSION/NAME of an existing cluster (restarted!); default: a throwaway one")
    parser.add_argument("--port", type=int, default=5440, help="port of the throwaway cluster")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway cluster at the end")
    parser.add_argument("--down", type=float, default=5, help="seconds PostgreSQL stays stopped")
    parser.add_argument("--threads", type=int, default=6, help="client threads during the restart")
    parser.add_argument("--var-dir", type=Path, default=Path(os.environ.get("GUICHET_VAR_DIR", "/tmp/faults-var")))
    args = parser.parse_args()
    scenarios = args.scenarios or list(SCENARIOS)
    unknown = set(scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"scénario inconnu : {', '.join(sorted(unknown))} (choix : {', '.join(SCENARIOS)})")
    if os.geteuid() != 0:
        raise SystemExit("bench/faults.py pilote PostgreSQL (pg_ctlcluster) et monte un tmpfs : lancez-le en root.")
    args.var_dir.mkdir(parents=True, exist_ok=True)
    cluster = cluster_open(args.cluster, args.port)
    database = "faults"
    report: dict[str, object] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "cluster": cluster.label,
        "results": {},
    }
    failures = 0
    try:
        if {"postgres-restart", "disk-full", "task-crash"} & set(scenarios):
            populate(cluster, database, args.var_dir)
        for name in scenarios:
            print(f"\n== {name}", flush=True)
            clock = time.monotonic()
            try:
                if name == "import-kill":
                    result = scenario_import_kill(cluster, args.var_dir)
                elif name == "contracts-kill":
                    result = scenario_contracts_kill(cluster, args.var_dir)
                elif name == "postgres-restart":
                    result = scenario_postgres_restart(
                        cluster, args.var_dir, database=database, down_seconds=args.down, threads=args.threads
                    )
                elif name == "disk-full":
                    result = scenario_disk_full(cluster, args.var_dir, database=database)
                else:
                    result = scenario_task_crash(cluster, args.var_dir, database=database)
                result = {"passed": True, **result}
            except Failed as error:
                failures += 1
                result = {"passed": False, "failure": str(error)}
            result["seconds"] = round(time.monotonic() - clock, 1)
            report["results"][name] = result
            print(json.dumps(result, indent=2, ensure_ascii=False), flush=True)
    finally:
        if cluster.created and not args.keep:
            cluster_drop(cluster)
            print(f"Cluster {cluster.label} supprimé.")
    out = args.var_dir / "faults-report.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print("\n== Résumé")
    for name, result in report["results"].items():
        print(f"{name}: {'survécu' if result['passed'] else 'ÉCHEC : ' + result['failure']} ({result['seconds']} s)")
    print(f"Rapport : {out}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
