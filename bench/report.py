"""The benchmark's output: the Markdown table (reader, FTS5, ratio, target) and RESULTS.md."""

from __future__ import annotations

import os
import platform
import re
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

# (key, label, unit, target at any N, target at 1M); a target is (kind, value):
# "min"/"max" are absolute bounds, "ratio" a bound on reader / FTS5.
ROWS = (
    ("import_per_s", "import", "papers/s", ("min", 2000), ("max_s", 600)),
    ("import_cpu_per_s", "import per CPU second", "papers/s", None, None),
    ("import_peak_rss_mb", "import peak RSS", "MB", None, None),
    ("index_mb", "index on disk", "MB", None, None),
    ("query_p50_ms", "query p50 (1-3 words)", "ms", None, None),
    ("query_p95_ms", "query p95 (1-3 words)", "ms", ("ratio", 1.0), ("max", 150)),
    ("query_cpu_p95_ms", "query p95, CPU time", "ms", None, None),
    ("fuzzy_p95_ms", "fuzzy p95 (term~1)", "ms", ("ratio", 2.0), None),
    ("fuzzy_cpu_p95_ms", "fuzzy p95, CPU time", "ms", None, None),
    ("phrase_p95_ms", "phrase p95", "ms", None, None),
    ("field_p95_ms", "field/date p95", "ms", None, None),
    ("long_p50_ms", "long query p50 (6-12 words, by meaning)", "ms", None, None),
    ("long_p95_ms", "long query p95 (6-12 words, by meaning)", "ms", None, ("max", 150)),
    ("long_cpu_p95_ms", "long query p95, CPU time", "ms", None, None),
    ("cold_ms", "cold open + first query", "ms", ("max", 300), None),
    ("cold_long_ms", "cold open + first long query (model loaded)", "ms", None, None),
    ("model_load_ms", "model load + one query embedded", "ms", None, None),
    ("model_rss_mb", "model, RSS added", "MB", None, None),
    ("vectors_mb", "vectors on disk (in the index)", "MB", None, ("max", 300)),
    ("rss_mb", "RSS, open searcher", "MB", ("max", 100), ("max", 400)),
    ("rss_long_mb", "RSS, open searcher after long queries too", "MB", None, ("max", 400)),
    ("tui_first_paint_ms", "TUI first paint", "ms", None, ("max", 1000)),
    ("tui_keystroke_ms", "TUI keystroke to results", "ms", None, None),
    ("tui_keystroke_p95_ms", "TUI keystroke to results, p95", "ms", None, ("max", 50)),
    ("tui_debounce_ms", "TUI keystroke's debounce", "ms", None, None),
    ("tui_burst_ms", "TUI last key of a burst to results", "ms", None, None),
    ("tui_cursor_ms", "TUI cursor move", "ms", None, ("max", 5)),
    ("tui_cursor_cpu_ms", "TUI cursor move, CPU time", "ms", None, None),
    ("tui_cursor_busy_ms", "TUI cursor move, CPU until idle", "ms", None, None),
    ("tui_rss_mb", "TUI RSS", "MB", None, ("max", 400)),
)
MILLION = 1_000_000
# Sections other tools or people write into RESULTS.md between <!-- name:start/end --> markers
# (bench/quality.py's search quality, the explained gaps): kept when the table is rewritten.
_KEPT = re.compile(r"<!-- ([\w-]+):start -->.*?<!-- \1:end -->", re.DOTALL)


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _target(run: dict, key: str, target: tuple[str, float] | None) -> str:
    """The target as text, with ✓/✗ from the measured value (blank when not measured)."""
    if target is None:
        return ""
    kind, bound = target
    ours = run["reader"].get(key)
    theirs = run["fts5"].get(key)
    if kind == "ratio":
        text = "≤ FTS5" if bound == 1 else f"≤ {bound:g}× FTS5"
        ok = None if ours is None or not theirs else ours <= bound * theirs
    elif kind == "max_s":  # a whole import within bound seconds
        text = f"all in ≤ {bound / 60:g} min"
        ok = None if not ours else run["n"] / ours <= bound
    else:
        text = f"{'≥' if kind == 'min' else '≤'} {bound:,g}"
        ok = None if ours is None else (ours >= bound if kind == "min" else ours <= bound)
    return text if ok is None else f"{text} {'✓' if ok else '✗'}"


def table(runs: list[dict]) -> str:
    lines = [
        "| N | metric | reader | FTS5 | reader / FTS5 | target |",
        "|---:|---|---:|---:|---:|---|",
    ]
    for run in runs:
        for key, label, unit, target, target_1m in ROWS:
            ours, theirs = run["reader"].get(key), run["fts5"].get(key)
            if ours is None and theirs is None:
                continue
            ratio = f"{ours / theirs:.2f}" if ours is not None and theirs else "-"
            chosen = target_1m if run["n"] >= MILLION and target_1m else target
            lines.append(
                f"| {run['n']:,} | {label} ({unit}) | {_number(ours)} | {_number(theirs)} "
                f"| {ratio} | {_target(run, key, chosen)} |"
            )
    return "\n".join(lines)


def machine() -> dict[str, object]:
    cpu = platform.processor() or platform.machine()
    memory_gb = 0.0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_gb = int(line.split()[1]) / 1024**2
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "ram_gb": round(memory_gb, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "os": f"{platform.system()} {platform.release()}",
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else [],
        "commit": _commit(),
    }


def _commit() -> str:
    """HEAD, "-dirty" if a tracked file other than RESULTS.md (which every run rewrites, and
    whose first N is written before the next N starts) differs from it."""
    here = Path(__file__).parent

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], capture_output=True, text=True, cwd=here, check=True
        ).stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD")
        changed = git("status", "--porcelain", "--untracked-files=no", "--", ":/", _NOT_RESULTS)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}-dirty" if changed else head


_NOT_RESULTS = ":(top,exclude)bench/RESULTS.md"


def write_results(path: Path, runs: list[dict], info: dict[str, object], notes: list[str]) -> None:
    """RESULTS.md with a fresh table, keeping the marked sections of the file it replaces."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    kept = [match.group(0) for match in _KEPT.finditer(old)]
    text = results_md(runs, info, notes) + "".join(f"\n{section}\n" for section in kept)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def results_md(runs: list[dict], info: dict[str, object], notes: list[str]) -> str:
    head = (
        "# reader benchmark results\n\n"
        "The table and its notes are generated by `python bench/run.py` (see bench/README.md "
        "for the method); the sections after them are kept across runs (search quality: "
        "`bench/quality.py`; the explained gaps: written from profiles).\n\n"
        f"- Machine: {info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB RAM, {info['os']}\n"
        f"- Python {info['python']}, SQLite {info['sqlite']}\n"
        f"- Date: {info['date']}, reader at commit {info['commit']}\n"
        f"- Load average at the end (1, 5, 15 min): {info['load_average']}; other work on the "
        "machine slows wall times, not CPU times (the CPU rows)\n\n"
    )
    extra = "".join(f"- {note}\n" for note in notes)
    return head + table(runs) + "\n\n" + (f"## Notes\n\n{extra}" if extra else "")
