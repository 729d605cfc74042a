"""The results table: printed, and written to ``bench/results/latest.md`` and ``.json``."""

import json
import os
import platform
from datetime import UTC, datetime
from typing import Any

from bench import config

PAGE_NAMES = {
    "ping": "minimal view (/ping/)",
    "caseload": "caseload",
    "patient": "patient page",
    "program": "program page",
    "plan_next_week": "plan next week",
    "employer_dashboard": "employer dashboard",
    "employer_worker": "employer worker page",
}
P95_MS = 150
MIN_RATIO = 0.25
PDF_RATIO = 1.3
PDF_P95_MS = 2000
BATCH_PER_SECOND = 2000
WEB_RSS_MB = 250


def mark(ok: bool) -> str:
    return "✅" if ok else "❌"


def collect() -> dict[str, Any]:
    steps = ("seed", "queries_small", "queries_large", "cost", "load", "pdf", "batch", "meta")
    return {step: config.read_json(step) for step in steps}


def checks(r: dict[str, Any]) -> list[tuple[str, bool, str]]:
    """(target, met, measured) for each target of the issue."""
    found: list[tuple[str, bool, str]] = []
    load, pdf, batch = r.get("load"), r.get("pdf"), r.get("batch")
    small, large = r.get("queries_small"), r.get("queries_large")
    if load:
        pages = load["pages"]
        ping = pages.get("ping", {}).get("rps") or 1
        for page, run in pages.items():
            if page == "ping":
                continue
            ratio = run["rps"] / ping
            fast = run["requests"] > 0 and run["p95_ms"] <= P95_MS
            found.append((f"{page}: p95 ≤ {P95_MS} ms", fast, f"{run['p95_ms']} ms"))
            found.append(
                (f"{page}: ≥ {MIN_RATIO} × minimal view", ratio >= MIN_RATIO, f"{ratio:.2f}")
            )
        mix = load["mix"]
        errors = mix["bad_status"] + mix["socket_errors"]
        found.append(("mixed load: zero errors", errors == 0, f"{errors} errors"))
        rss = load["web_worker_peak_rss_mb"]
        found.append((f"web worker RSS ≤ {WEB_RSS_MB} MB", rss <= WEB_RSS_MB, f"{rss} MB"))
    if small and large:
        same = small["queries"] == large["queries"]
        found.append(("queries per page: demo = large", same, "equal" if same else "differ"))
        if "cold" in small and "cold" in large:
            same = small["cold"] == large["cold"]
            found.append(
                (
                    "queries per page after a change: demo = large",
                    same,
                    "equal" if same else "differ",
                )
            )
    if pdf:
        t = pdf["timings"]
        found.append(
            (f"report ≤ {PDF_RATIO} × WeasyPrint alone", t["ratio"] <= PDF_RATIO, f"{t['ratio']}×")
        )
        found.append(
            (
                f"report p95 ≤ {PDF_P95_MS} ms",
                t["report"]["p95_ms"] <= PDF_P95_MS,
                f"{t['report']['p95_ms']} ms",
            )
        )
    if batch:
        rate = batch["programs_per_second"]
        found.append(
            (f"batch ≥ {BATCH_PER_SECOND} programs/s", rate >= BATCH_PER_SECOND, f"{rate}/s")
        )
        constant = len(batch["queries_per_chunk"]) == 1
        found.append(
            ("batch: constant queries per chunk", constant, str(batch["queries_per_chunk"]))
        )
    return found


def markdown(r: dict[str, Any]) -> str:
    meta = r.get("meta") or {}
    lines = [
        f"Measured {meta.get('finished', '?')} on {meta.get('machine', '?')}; "
        f"`make bench` took {meta.get('wall_minutes', '?')} min.",
        "",
    ]
    load, small, large = r.get("load"), r.get("queries_small") or {}, r.get("queries_large") or {}
    if load:
        ping = load["pages"]["ping"]["rps"] or 1
        lines += [
            f"Key pages under gunicorn (2 workers, production settings), wrk for "
            f"{load['pages']['ping']['seconds']} s each with {load['pages']['ping']['connections']}"
            f" connections (after a 3 s warm-up) over {load['samples']} workers' pages of the "
            "large data set:",
            "",
            "| page | req/s | p50 ms | p95 ms | × minimal view | queries, demo | queries, large "
            "| after a change: demo | after a change: large |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for page, run in load["pages"].items():
            lines.append(
                f"| {PAGE_NAMES.get(page, page)} | {run['rps']} | {run['p50_ms']} | "
                f"{run['p95_ms']} | {run['rps'] / ping:.2f} | "
                f"{small.get('queries', {}).get(page, '–')} | "
                f"{large.get('queries', {}).get(page, '–')} | "
                f"{small.get('cold', {}).get(page, '–')} | "
                f"{large.get('cold', {}).get(page, '–')} |"
            )
        mix = load["mix"]
        lines += [
            "",
            f"Mixed load, {mix['connections']} connections for {mix['seconds']} s: "
            f"{mix['rps']} req/s, p50 {mix['p50_ms']} ms, p95 {mix['p95_ms']} ms, "
            f"{mix['requests']} requests, {mix['bad_status']} non-2xx/3xx answers, "
            f"{mix['socket_errors']} socket errors.",
        ]
    cost = r.get("cost")
    if cost:
        lines += [
            "",
            "Web-process CPU per request (test client, median), before the fixes (charts drawn "
            "on every request, no revision or page cache, the employer dashboard on one page) and "
            "after:",
            "",
            "| page | CPU ms before | CPU ms after |",
            "|---|---:|---:|",
        ]
        lines += [
            f"| {PAGE_NAMES.get(page, page)} | {before} | {cost['after'].get(page, '–')} |"
            for page, before in cost["before"].items()
        ]
    pdf = r.get("pdf")
    if pdf:
        t, q = pdf["timings"], pdf["throughput"]
        lines += [
            "",
            "| PDF report | p50 ms | p95 ms |",
            "|---|---:|---:|",
            _row("WeasyPrint alone on the report's HTML", t["weasyprint"]),
            _row("report, stored data → PDF bytes", t["report"]),
            _row("report, database records → PDF bytes", t["records"]),
            "",
            f"Report / WeasyPrint alone: {t['ratio']}× ({t['pdf_kb']} KB PDF). Throughput with "
            f"{q['worker_processes']} Celery worker processes: {q['per_second']} reports/s "
            f"({q['reports']} reports in {q['seconds']} s, {q['failed']} failed).",
        ]
    batch = r.get("batch")
    if batch:
        split = batch["split_seconds"]
        lines += [
            "",
            f"Weekly batch: {batch['planned']} weeks proposed ({batch['halted']} programs paused, "
            f"{batch['failed']} left alone) in {batch['seconds']} s = "
            f"**{batch['programs_per_second']} programs/s** (the median of three runs: "
            f"{', '.join(map(str, batch.get('runs_programs_per_second', [])))}), "
            f"in {batch.get('processes', 1)} "
            f"processes sharing the due programs as the daily task's runs do; "
            f"{batch['chunks']} chunks of {batch['chunk_size']}, queries per chunk "
            f"{batch['queries_per_chunk']} ({batch['queries_per_program']} per program), foreign"
            f" keys checked row by row. Time split, summed over the processes: reading "
            f"{split['read']} s, engine {split['engine']} s, writing {split['write']} s (Python's"
            f" own CPU {batch.get('python_cpu_seconds', '–')} s). Before it, the one-time"
            f" upgrade step stored {batch.get('carries_built', 0)} programs' carries in "
            f"{batch.get('carries_seconds', 0)} s.",
        ]
    if load or pdf:
        lines += [
            "",
            f"Peak memory (VmHWM): web worker {load['web_worker_peak_rss_mb'] if load else '–'} MB,"
            f" PDF worker {pdf['throughput']['pdf_worker_peak_rss_mb'] if pdf else '–'} MB.",
        ]
    seed = r.get("seed")
    if seed:
        rows = seed["rows"]
        lines += [
            "",
            f"Data set: {rows.get('programs_program')} programs, {rows.get('programs_week')} "
            f"weeks, {rows.get('programs_sessionlog')} sessions, "
            f"{rows.get('programs_sessionitem')} session entries, "
            f"{rows.get('assessments_assessment')} assessments; seeded in "
            f"{seed['seconds']['total']:.0f} s.",
        ]
    lines += ["", "| target | met | measured |", "|---|:---:|---:|"]
    lines += [f"| {name} | {mark(ok)} | {value} |" for name, ok, value in checks(r)]
    return "\n".join(lines) + "\n"


def _row(name: str, timing: dict[str, Any]) -> str:
    return f"| {name} | {timing['p50_ms']} | {timing['p95_ms']} |"


def main() -> None:
    results = collect()
    text = markdown(results)
    config.RESULTS.mkdir(parents=True, exist_ok=True)
    (config.RESULTS / "latest.md").write_text("# Benchmark results\n\n" + text)
    results["targets"] = [
        {"target": name, "met": ok, "measured": value} for name, ok, value in checks(results)
    ]
    (config.RESULTS / "latest.json").write_text(json.dumps(results, indent=2, default=str))
    print(text)


def machine() -> str:
    return f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}"


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
