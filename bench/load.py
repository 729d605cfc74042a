"""Throughput and latency of the key pages under gunicorn with production settings.

``python -m bench.run load`` collects the static files, starts gunicorn (2 workers) on
loopback, logs the sample users in (``bench.auth``), and runs wrk, each run bounded in time:
every key page and the minimal authenticated view (``/ping/``) on its own, then a mixed run
of 50 connections on a realistic mix, counting non-2xx/3xx answers and socket errors. It
reads the web workers' peak memory before stopping the server.
"""

import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import config, targets
from bench.auth import cookie_header
from bench.memory import peak_rss_mb
from rtw.models import User

LUA = Path(__file__).parent / "lua"
PAGE_SECONDS = int(os.environ.get("BENCH_PAGE_SECONDS", "15"))
PAGE_CONNECTIONS = int(os.environ.get("BENCH_PAGE_CONNECTIONS", "4"))
MIX_SECONDS = int(os.environ.get("BENCH_MIX_SECONDS", "60"))
WARM_SECONDS = 3
MIX_CONNECTIONS = 50
SAMPLES = 20
WORKERS = 2
# A clinic's day: mostly clinicians reading caseloads, patients and programs; some typing
# into the session form (htmx checks each field as they leave it); employers reading.
MIX = {
    "caseload": 20,
    "caseload_search": 5,
    "patient": 15,
    "program": 20,
    "plan_next_week": 10,
    "log_form": 5,
    "log_field_check": 5,
    "employer_dashboard": 8,
    "employer_worker": 7,
    "static": 5,
}


@dataclass(frozen=True)
class Request:
    path: str
    cookie: str
    method: str = "GET"
    body: str = ""
    htmx: bool = False

    def lua(self) -> str:
        csrf = self.cookie.rsplit("=", 1)[-1]
        fields = [
            f"path={_lua_str(self.path)}",
            f"method={_lua_str(self.method)}",
            f"cookie={_lua_str(self.cookie)}",
            f"csrf={_lua_str(csrf)}",
            f"body={_lua_str(self.body)}" if self.body else "body=nil",
            f"htmx={'true' if self.htmx else 'false'}",
        ]
        return "{" + ", ".join(fields) + "}"


def visit_each(requests: list[Request]) -> None:
    """One request to each distinct page first: a page's first visit renders what later
    visits read from the revision and page caches (a dashboard of ten workers can take half
    a second on a busy machine), and wrk's short warm-up may not reach every one of them.
    That first-visit cost is the "before" column of the CPU table."""
    seen = set()
    for r in requests:
        if r.method != "GET" or (r.path, r.cookie, r.htmx) in seen:
            continue
        seen.add((r.path, r.cookie, r.htmx))
        connection = http.client.HTTPConnection(config.HOST, config.PORT, timeout=60)
        headers = {"Cookie": r.cookie, **({"HX-Request": "true"} if r.htmx else {})}
        connection.request("GET", r.path, headers=headers)
        connection.getresponse().read()
        connection.close()


def _lua_str(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Lua string for these characters


def script(requests: list[Request]) -> Path:
    """A wrk script: the requests in turn, and a done() hook printing the percentiles."""
    body = (LUA / "requests.lua").read_text()
    table = "local requests = {\n  " + ",\n  ".join(r.lua() for r in requests) + "\n}\n"
    path = config.WORK / f"wrk-{abs(hash(table))}.lua"
    config.WORK.mkdir(parents=True, exist_ok=True)
    path.write_text(table + body)
    return path


def wrk(requests: list[Request], *, seconds: int, connections: int) -> dict[str, Any]:
    threads = min(2, connections)
    out = subprocess.run(  # noqa: S603 - wrk against our own loopback server only
        [
            _wrk_binary(),
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(script(requests)),
            f"http://{config.HOST}:{config.PORT}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith('{"requests"'))
    result: dict[str, Any] = json.loads(line)
    seconds_run = result["duration_us"] / 1e6
    result["rps"] = round(result["requests"] / seconds_run, 1)
    result["p50_ms"] = round(result["latency_us"]["p50"] / 1000, 1)
    result["p95_ms"] = round(result["latency_us"]["p95"] / 1000, 1)
    result["p99_ms"] = round(result["latency_us"]["p99"] / 1000, 1)
    errors = result["errors"]
    result["socket_errors"] = errors["connect"] + errors["read"] + errors["write"]
    result["socket_errors"] += errors["timeout"]
    result["bad_status"] = errors["status"]
    result["connections"], result["seconds"] = connections, seconds
    return result


def _wrk_binary() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("bench: wrk is not installed (make bench installs Debian's wrk)")
    return found


# --- the server ----------------------------------------------------------------------------


class Server:
    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(  # noqa: S603 - gunicorn on loopback
            [
                str(gunicorn),
                "rtw.wsgi:application",
                "--bind",
                f"{config.HOST}:{config.PORT}",
                "--workers",
                str(WORKERS),
                "--log-level",
                "warning",
            ],
            cwd=config.ROOT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://{config.HOST}:{config.PORT}/health/", timeout=2
                ) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise SystemExit("bench: gunicorn did not answer within 60 s")

    def worker_pids(self) -> list[int]:
        import psutil  # type: ignore[import-untyped]

        assert self.process is not None  # noqa: S101
        return [c.pid for c in psutil.Process(self.process.pid).children()]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


# --- the runs -------------------------------------------------------------------------------


def page_requests(
    samples: list[targets.Sample], page: str, cookies: dict[int, str]
) -> list[Request]:
    return [Request(s.path(page), cookies[s.user_id(page)]) for s in samples]


def mix_requests(samples: list[targets.Sample], cookies: dict[int, str]) -> list[Request]:
    rng = random.Random(config.SEED)  # noqa: S311 - a reproducible order, not security
    found = []
    for s in samples:
        physio, viewer = cookies[s.physio_id], cookies[s.viewer_id]
        log = f"/programs/{s.program_uuid}/weeks/{s.weeks}/log/"
        kinds = {
            "caseload": Request(s.path("caseload"), physio),
            "caseload_search": Request("/patients/?q=ar&status=all", physio, htmx=True),
            "patient": Request(s.path("patient"), physio),
            "program": Request(s.path("program"), physio),
            "plan_next_week": Request(s.path("plan_next_week"), physio),
            "log_form": Request(log, physio),
            "log_field_check": Request(
                log, physio, method="POST", body="_validate=pain_during&pain_during=3", htmx=True
            ),
            "employer_dashboard": Request(s.path("employer_dashboard"), viewer),
            "employer_worker": Request(s.path("employer_worker"), viewer),
            "static": Request("/static/css/app.css", physio),
        }
        for kind, weight in MIX.items():
            found.extend([kinds[kind]] * weight)
    rng.shuffle(found)
    return found


def main() -> None:
    samples = targets.samples(SAMPLES)
    users = {
        u.pk: u
        for u in User.objects.filter(
            pk__in={s.physio_id for s in samples} | {s.viewer_id for s in samples}
        )
    }
    cookies = {pk: cookie_header(user) for pk, user in users.items()}
    server = Server()
    server.start()
    result: dict[str, Any] = {"samples": len(samples), "pages": {}}
    try:
        for page in (targets.MINIMAL, *targets.PAGES):
            requests = page_requests(samples, page, cookies)
            # Warm: each worker process's first requests, and each sample's first drawing of
            # its charts and page (kept in the cache afterwards), are not the steady state
            # measured.
            visit_each(requests)
            wrk(requests, seconds=WARM_SECONDS, connections=2)
            run = wrk(requests, seconds=PAGE_SECONDS, connections=PAGE_CONNECTIONS)
            result["pages"][page] = run
            print(f"  {page:<20} {run['rps']:>7} req/s  p95 {run['p95_ms']} ms", file=sys.stderr)
        visit_each(mix_requests(samples, cookies))
        result["mix"] = wrk(
            mix_requests(samples, cookies), seconds=MIX_SECONDS, connections=MIX_CONNECTIONS
        )
        result["web_worker_peak_rss_mb"] = max(peak_rss_mb(pid) for pid in server.worker_pids())
    finally:
        server.stop()
    config.write_json("load", result)
