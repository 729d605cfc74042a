"""The employer PDF report: how long from data to bytes, against WeasyPrint alone on the
same HTML; then reports per second with two Celery worker processes on the ``pdf`` queue.

``python -m bench.run pdf``. The worker takes its broker from the environment (Redis db 2
in ``bench.config``), so nothing else's queue is touched; it is stopped at the end.
"""

import os
import signal
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from bench import config, targets
from bench.memory import peak_rss_mb
from patients.employer import snapshot as employer
from patients.models import Consent, Patient
from rtw.models import Report, ReportStatus
from rtw.pdf import ASSETS, AssetsOnlyFetcher
from rtw.reports import document, services

RUNS = int(os.environ.get("BENCH_PDF_RUNS", "12"))
QUEUED = int(os.environ.get("BENCH_PDF_QUEUED", "24"))
WORKER_PROCESSES = 2


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(values) * 1000, 1),
        "p95_ms": round(percentile(values, 0.95) * 1000, 1),
        "runs": len(values),
    }


def _consent_for(sample: targets.Sample) -> Consent:
    return Consent.objects.select_related("employer").get(
        patient__uuid=sample.patient_uuid, withdrawn_on__isnull=True
    )


def timings(sample: targets.Sample) -> dict[str, Any]:
    today = timezone.localdate()
    consent = _consent_for(sample)
    period = {"period_from": today - timedelta(days=27), "period_to": today}
    snap = employer.for_report(consent, **period, today=today)
    data = document.data_for(snap, prepared_by="Bench Physio", clinic="Bench Clinic")
    meta = document.ReportMeta(1, period["period_from"], today, today, "Bench Physio", "Bench")
    html = render_to_string(document.TEMPLATE, document.context_for(data, meta))
    fetcher_base = ASSETS.as_uri() + "/"

    def weasyprint_alone() -> bytes:
        page = HTML(
            string=html, base_url=fetcher_base, url_fetcher=AssetsOnlyFetcher(), media_type="print"
        )
        pdf: bytes = page.write_pdf()
        return pdf

    def data_to_bytes() -> bytes:
        return document.render(data, meta)

    def records_to_bytes() -> bytes:
        fresh = employer.for_report(consent, **period, today=today)
        made = document.data_for(fresh, prepared_by="Bench Physio", clinic="Bench Clinic")
        return document.render(made, meta)

    runs: dict[str, list[float]] = {"weasyprint": [], "report": [], "records": []}
    steps = {"weasyprint": weasyprint_alone, "report": data_to_bytes, "records": records_to_bytes}
    for step in steps.values():
        step()  # warm: fonts and templates loaded once per process
    for _ in range(RUNS):
        for name, step in steps.items():  # interleaved, so that noise hits all three alike
            started = time.perf_counter()
            step()
            runs[name].append(time.perf_counter() - started)
    result: dict[str, Any] = {name: summary(values) for name, values in runs.items()}
    result["ratio"] = round(
        statistics.median(runs["report"]) / statistics.median(runs["weasyprint"]), 2
    )
    result["pdf_kb"] = round(len(data_to_bytes()) / 1024, 1)
    return result


# --- throughput with two worker processes --------------------------------------------------


def start_worker() -> subprocess.Popen[bytes]:
    celery = Path(sys.executable).with_name("celery")
    worker = subprocess.Popen(  # noqa: S603 - our own Celery app on the bench broker
        [
            str(celery),
            "-A",
            "rtw",
            "worker",
            "-Q",
            "pdf",
            "-c",
            str(WORKER_PROCESSES),
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=config.ROOT,
        stdout=subprocess.DEVNULL,
        stderr=(config.WORK / "celery.log").open("ab"),
    )
    from rtw.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.ping(timeout=1):
            return worker
    worker.terminate()
    raise SystemExit("bench: the Celery worker did not answer within 60 s")


def reporting_patients(count: int) -> list[Patient]:
    shares = Q(consents__withdrawn_on__isnull=True, consents__share_reports=True)
    return list(
        Patient.objects.filter(shares, programs__status="active")
        .select_related("physiotherapist", "clinic")
        .order_by("pk")
        .distinct()[:count]
    )


def throughput() -> dict[str, Any]:
    from rtw.celery import app

    app.control.purge()
    worker = start_worker()
    today = timezone.localdate()
    try:
        patients = reporting_patients(QUEUED)
        started = time.perf_counter()
        made = [
            services.request_report(
                acting_user=p.physiotherapist,
                patient=p,
                period_from=today - timedelta(days=27),
                period_to=today,
                today=today,
            ).pk
            for p in patients
        ]
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            pending = Report.objects.filter(pk__in=made).exclude(
                status__in=[ReportStatus.READY, ReportStatus.FAILED]
            )
            if not pending.exists():
                break
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
        states = list(Report.objects.filter(pk__in=made).values_list("status", flat=True))
        import psutil  # type: ignore[import-untyped]

        pool = psutil.Process(worker.pid).children()
        peak = max(peak_rss_mb(p.pid) for p in pool) if pool else peak_rss_mb(worker.pid)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    return {
        "reports": len(made),
        "ready": states.count(ReportStatus.READY),
        "failed": states.count(ReportStatus.FAILED),
        "seconds": round(elapsed, 2),
        "per_second": round(len(made) / elapsed, 2),
        "worker_processes": WORKER_PROCESSES,
        "pdf_worker_peak_rss_mb": peak,
    }


def main() -> None:
    sample = targets.samples(1)[0]
    result = {"timings": timings(sample), "throughput": throughput()}
    config.write_json("pdf", result)
