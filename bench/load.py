"""Load test of the main journeys against a production-like server, on loopback.

    .venv/bin/python bench/load.py                 # full run: 30 s steps, 5 min hold per worker count
    .venv/bin/python bench/load.py --quick         # checking run: 10 s steps, 20 s hold
    .venv/bin/python bench/load.py --workers 1 2 --hold 300 --rates 4,8,12,16,20,25,30

What it does (docs/benchmarks/load.md has the figures):
1. prepares its own PostgreSQL database (--database-url, bench_load by default): migrate, the reference
   data and the regional demo population (`generate_demo_population --seed 42 --scale region
   --with-accounts`), skipped when already there (--reset drops and rebuilds it); collectstatic;
2. for each worker count: starts granian (WSGI `guichet.wsgi:application`, production settings, DEBUG off,
   static files by whitenoise, persistent database connections), then
   - finds the step: headless locust with a step shape (bench/locustfile.py), the rate going up by steps
     until p95 >= 500 ms or an error;
   - holds the highest passing rate for --hold seconds; if the hold misses the goal, the next lower rate;
3. prints and writes (var dir: load-report.json) the highest rate held with p95 < 500 ms and 0 errors, per
   worker count, the scaling 1 -> 2 workers, and the load average and CPU of the server and of locust
   (both share the machine's cores).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import psutil
from pgdatabase import ensure_database

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_load"
DEMO_PASSWORD = "apprentissage-demo-2026"  # guichet.contracts.demo.accounts.DEMO_PASSWORD
ANALYST_EMAIL = "analyste@demo.guichet.test"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--var-dir", type=Path, default=Path(os.environ.get("GUICHET_VAR_DIR", "/tmp/bench-load-var")))
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--threads", type=int, default=4, help="granian blocking threads per worker")
    parser.add_argument("--rates", default="", help="comma-separated request rates of the steps (req/s)")
    parser.add_argument("--step", type=float, default=30, help="seconds per step while finding the rate")
    parser.add_argument("--hold", type=float, default=300, help="seconds the found rate must be held")
    parser.add_argument("--p95-ms", type=float, default=500)
    parser.add_argument("--quick", action="store_true", help="10 s steps and a 20 s hold, to check the setup")
    parser.add_argument("--reset", action="store_true", help="drop and rebuild the database first")
    parser.add_argument("--skip-prepare", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.step, args.hold = 10, 20
    default_rates = [*range(2, 21, 2), *range(24, 41, 4), *range(50, 201, 10)]
    rates = [int(rate) for rate in args.rates.split(",")] if args.rates else default_rates
    args.var_dir.mkdir(parents=True, exist_ok=True)
    env = server_environment(database_url=args.database_url, var_dir=args.var_dir)

    if not args.skip_prepare:
        prepare(env=env, database_url=args.database_url, reset=args.reset)
    targets = args.var_dir / "load-targets.json"
    run([PYTHON, "-c", TARGETS_SCRIPT, str(targets)], env=env)

    report: dict[str, object] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "cpus": os.cpu_count(),
        "p95_goal_ms": args.p95_ms,
        "step_seconds": args.step,
        "hold_seconds": args.hold,
        "threads_per_worker": args.threads,
        "runs": [],
    }
    for workers in args.workers:
        with Server(
            env=env, workers=workers, threads=args.threads, log=args.var_dir / f"granian-{workers}.log"
        ) as server:
            cookie = analyst_cookie(server.base)
            common = {"targets": targets, "cookie": cookie, "base": server.base, "var_dir": args.var_dir}
            print(f"\n== {workers} worker(s): finding the step ({args.step:.0f} s per step)", flush=True)
            found = locust(
                rates=rates, seconds=args.step, p95_ms=args.p95_ms, server=server, tag=f"find-{workers}", **common
            )
            passing = [step["rate_target"] for step in found["steps"] if step["passed"]]
            holds = []
            candidates = sorted(passing, reverse=True)[:2] or [rates[0]]
            for rate in candidates:
                print(f"== {workers} worker(s): holding {rate} req/s for {args.hold:.0f} s", flush=True)
                held = locust(
                    rates=[rate],
                    seconds=args.hold,
                    p95_ms=args.p95_ms,
                    server=server,
                    tag=f"hold-{workers}-{rate}",
                    **common,
                )
                holds.append(held)
                if held["steps"] and held["steps"][0]["passed"]:
                    break
            best = next((h["steps"][0] for h in holds if h["steps"] and h["steps"][0]["passed"]), None)
            report["runs"].append({"workers": workers, "find": found, "holds": holds, "held": best})
            print(f"== {workers} worker(s): held {best['rate_achieved'] if best else 'nothing'} req/s", flush=True)

    held = {run["workers"]: run["held"] for run in report["runs"]}
    if held.get(1) and held.get(2):
        report["scaling_1_to_2"] = round(held[2]["rate_achieved"] / held[1]["rate_achieved"], 2)
    report["finished"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    out = args.var_dir / "load-report.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print_summary(report)
    print(f"\nRapport complet : {out}")
    return 0 if all(run["held"] for run in report["runs"]) else 1


def server_environment(*, database_url: str, var_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "guichet.settings.production",
            "DATABASE_URL": database_url,
            "GUICHET_VAR_DIR": str(var_dir),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            # One process per worker: a shared cache only matters for throttling, not exercised here.
            "CACHE_URL": "locmemcache://",
            "EMAIL_URL": "consolemail://",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def prepare(*, env: dict[str, str], database_url: str, reset: bool) -> None:
    ensure_database(database_url, reset=reset)
    manage = [PYTHON, str(ROOT / "manage.py")]
    run([*manage, "migrate", "--noinput", "-v", "0"], env=env)
    populated = subprocess.run(
        [PYTHON, "-c", POPULATED_SCRIPT], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    if populated != "yes":
        run([*manage, "import_reference_data"], env=env)
        run([*manage, "generate_demo_population", "--seed", "42", "--scale", "region", "--with-accounts"], env=env)
    run([*manage, "collectstatic", "--noinput", "-v", "0"], env=env)


POPULATED_SCRIPT = """
import django
django.setup()
from guichet.accounts.models import User
from guichet.offers.models import Offer
analyst = User.objects.filter(email="analyste@demo.guichet.test").exists()
print("yes" if Offer.objects.count() > 1000 and analyst else "no")
"""

TARGETS_SCRIPT = """
import json, sys
import django
django.setup()
from guichet.offers.models import Offer
offers = Offer.objects.filter(status="published").order_by("pk")
searches = sorted({(rome, insee) for rome, insee in offers.values_list("rome_job__code", "commune__insee")})
json.dump({"offers": list(offers.values_list("pk", flat=True)), "searches": searches}, open(sys.argv[1], "w"))
print(f"{len(searches)} recherches et {offers.count()} offres publiées pour le scénario.")
"""


def run(command: list[str], *, env: dict[str, str]) -> None:
    print("$", " ".join(command[:4]), "..." if len(command) > 4 else "", flush=True)
    subprocess.run(command, env=env, cwd=ROOT, check=True)


class Server:
    """granian in its own process group, stopped (TERM, then KILL) on exit."""

    def __init__(self, *, env: dict[str, str], workers: int, threads: int, log: Path) -> None:
        self.env, self.workers, self.threads, self.log = env, workers, threads, log
        self.database = urllib.parse.urlparse(env["DATABASE_URL"]).path.lstrip("/")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        command = [
            str(ROOT / ".venv" / "bin" / "granian"),
            "--interface", "wsgi",
            "--host", "127.0.0.1",
            "--port", str(self.port),
            "--workers", str(self.workers),
            "--blocking-threads", str(self.threads),
            "--no-ws",
            "--log-level", "warning",
            "guichet.wsgi:application",
        ]  # fmt: skip
        self.log_file = self.log.open("w")
        self.process = subprocess.Popen(
            command, env=self.env, cwd=ROOT, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                request = urllib.request.Request(self.base + "/healthz", headers={"X-Forwarded-Proto": "https"})
                with urllib.request.urlopen(request, timeout=10) as response:
                    if response.status == 200:
                        break
            except OSError:  # refused, reset or timed out (URLError is an OSError): not up yet
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise SystemExit(f"granian did not start: see {self.log}")
            time.sleep(0.5)
        print(f"granian: {self.workers} worker(s) x {self.threads} threads on {self.base}", flush=True)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log_file.close()

    def processes(self) -> list[psutil.Process]:
        try:
            parent = psutil.Process(self.process.pid)
            return [parent, *parent.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def analyst_cookie(base: str) -> str:
    """Sign the analyst in once (CSRF token, then the form, as a browser behind the HTTPS proxy does)."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    proxy = {"X-Forwarded-Proto": "https"}
    with opener.open(urllib.request.Request(base + "/compte/connexion/", headers=proxy), timeout=30) as response:
        response.read()
    # The cookies are Secure ("__Host-"): the jar keeps them but would not send them over plain HTTP.
    cookies = {cookie.name: cookie.value for cookie in jar}
    token = cookies["__Host-csrftoken"]
    body = urllib.parse.urlencode(
        {"username": ANALYST_EMAIL, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        base + "/compte/connexion/",
        data=body,
        headers={
            **proxy,
            "Cookie": f"__Host-csrftoken={token}",
            "Origin": base.replace("http://", "https://"),
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    session_jar = CookieJar()
    no_redirect = urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(session_jar))
    try:
        no_redirect.open(request, timeout=30)
        raise SystemExit("La connexion de l'analyste n'a pas redirigé : identifiants refusés ?")
    except urllib.error.HTTPError as error:
        if error.code != 302:
            raise
    session = {cookie.name: cookie.value for cookie in session_jar}
    if "__Host-sessionid" not in session:
        raise SystemExit("La connexion de l'analyste n'a pas ouvert de session.")
    return f"__Host-sessionid={session['__Host-sessionid']}"


def locust(
    *,
    rates: list[int],
    seconds: float,
    p95_ms: float,
    server: Server,
    tag: str,
    targets: Path,
    cookie: str,
    base: str,
    var_dir: Path,
) -> dict[str, object]:
    results = var_dir / f"load-{tag}.json"
    env = dict(os.environ)
    env.update(
        {
            "LOAD_RATES": ",".join(map(str, rates)),
            "LOAD_STEP_SECONDS": str(seconds),
            "LOAD_SETTLE_SECONDS": str(min(5.0, seconds / 4)),
            "LOAD_P95_MS": str(p95_ms),
            "LOAD_RESULTS": str(results),
            "LOAD_TARGETS": str(targets),
            "LOAD_ANALYST_COOKIE": cookie,
        }
    )
    command = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f", str(ROOT / "bench" / "locustfile.py"),
        "--headless", "--host", base, "--only-summary", "--loglevel", "WARNING",
        "--stop-timeout", "5",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    samples: list[dict[str, float]] = []
    sampler = threading.Thread(target=sample_cpu, args=(process, server, samples), daemon=True)
    sampler.start()
    process.wait()
    sampler.join(timeout=5)
    data = json.loads(results.read_text())
    data["cpu"] = summarize_cpu(samples)
    requests_per_second = sum(step["rate_achieved"] for step in data["steps"]) / max(len(data["steps"]), 1)
    if data["cpu"] and requests_per_second:
        # CPU time one request costs the machine (application + PostgreSQL): contention on a shared
        # machine stretches response times much more than it stretches this.
        busy = data["cpu"]["server_cpu_percent_mean"] + data["cpu"]["database_cpu_percent_mean"]
        data["cpu"]["cpu_ms_per_request"] = round(busy * 10 / requests_per_second, 1)
    for step in data["steps"]:
        print(
            f"  {step['rate_target']:>4} req/s visé, {step['rate_achieved']:>6} obtenu, p95 {step['p95_ms']} ms, "
            f"{step['errors']} erreur(s), charge {step['load_average_1min']}"
            + ("" if step["passed"] else "  <- objectif manqué"),
            flush=True,
        )
    return data


def sample_cpu(locust_process: subprocess.Popen, server: Server, samples: list[dict[str, float]]) -> None:
    """Every 2 s: load average, CPU % of the server's processes and of locust (100 % = one core)."""
    tracked: dict[int, psutil.Process] = {}

    def cpu(processes: list[psutil.Process]) -> float:
        total = 0.0
        for process in processes:
            known = tracked.setdefault(process.pid, process)
            with contextlib.suppress(psutil.NoSuchProcess):
                total += known.cpu_percent(None)
        return total

    def database_processes() -> list[psutil.Process]:
        """PostgreSQL's server processes for the benchmark's database (their title names it)."""
        found = []
        for process in psutil.process_iter(["cmdline"]):
            command = " ".join(process.info["cmdline"] or [])
            if command.startswith("postgres:") and f" {server.database} " in f"{command} ":
                found.append(process)
        return found

    try:
        locust_processes = [psutil.Process(locust_process.pid)]
    except psutil.NoSuchProcess:
        return
    cpu(server.processes()), cpu(locust_processes), cpu(database_processes())
    while locust_process.poll() is None:
        time.sleep(2)
        samples.append(
            {
                "load": os.getloadavg()[0],
                "server": cpu(server.processes()),
                "database": cpu(database_processes()),
                "locust": cpu(locust_processes),
            }
        )


def summarize_cpu(samples: list[dict[str, float]]) -> dict[str, float]:
    if not samples:
        return {}
    return {
        "load_average_1min_max": round(max(s["load"] for s in samples), 2),
        "server_cpu_percent_mean": round(sum(s["server"] for s in samples) / len(samples), 1),
        "database_cpu_percent_mean": round(sum(s["database"] for s in samples) / len(samples), 1),
        "locust_cpu_percent_mean": round(sum(s["locust"] for s in samples) / len(samples), 1),
    }


def print_summary(report: dict[str, object]) -> None:
    print("\n== Résumé")
    for run_ in report["runs"]:
        held = run_["held"]
        hold_cpu = run_["holds"][-1].get("cpu", {}) if run_["holds"] else {}
        if held:
            print(
                f"{run_['workers']} worker(s): {held['rate_achieved']} req/s tenues {report['hold_seconds']:.0f} s "
                f"(visé {held['rate_target']}), p95 {held['p95_ms']} ms, p99 {held['p99_ms']} ms, 0 erreur; "
                f"CPU serveur {hold_cpu.get('server_cpu_percent_mean')} %, "
                f"PostgreSQL {hold_cpu.get('database_cpu_percent_mean')} %, "
                f"{hold_cpu.get('cpu_ms_per_request')} ms CPU par requête, "
                f"locust {hold_cpu.get('locust_cpu_percent_mean')} %, "
                f"charge max {hold_cpu.get('load_average_1min_max')}"
            )
        else:
            print(f"{run_['workers']} worker(s): aucun palier tenu")
    if "scaling_1_to_2" in report:
        print(f"1 -> 2 workers : x{report['scaling_1_to_2']}")


if __name__ == "__main__":
    sys.exit(main())
