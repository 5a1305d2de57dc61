"""The figures of a run (each beside its reference), the machine it ran on, and bench/results.md."""

from __future__ import annotations

import os
import platform
import statistics
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path


@dataclass
class Figure:
    name: str
    value: float
    reference: float | None
    unit: str
    target: str
    ok: bool
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.reference in (None, 0):
            return None
        return self.value / self.reference


@dataclass
class Report:
    figures: list[Figure] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)

    def add(self, figure: Figure):
        self.figures.append(figure)
        status = "ok " if figure.ok else "MISS"
        ratio = f" ratio {figure.ratio:.2f}" if figure.ratio is not None else ""
        ref = f" (ref {figure.reference:.3f})" if figure.reference is not None else ""
        print(f"[{status}] {figure.name}: {figure.value:.3f} {figure.unit}{ref}{ratio}  target {figure.target}  {figure.note}")

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.figures)


def timed(fn, repeat: int = 3) -> float:
    """Best wall time of `repeat` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def median(values):
    return statistics.median(values) if values else 0.0


def machine_facts() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "python": platform.python_version(),
        "load average at the end (1 / 5 / 15 min)": load,
    }


def write_results(report: Report, path: Path, args):
    lines = [
        "# Benchmark results",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python bench/run.py --db {args.db_label} "
        f"--offices {args.offices} --clients {args.clients} --months {args.months}`.",
        "",
        "| machine | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in {**machine_facts(), **report.facts}.items()],
        "",
        "| figure | value | reference | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    def number(x, unit):
        return f"{x:.0f}" if unit == "queries" else f"{x:.1f}" if unit == "req/s" else f"{x:.3f}"

    for f in report.figures:
        ref = f"{number(f.reference, f.unit)} {f.unit}" if f.reference is not None else "—"
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else "—"
        lines.append(f"| {f.name} | {number(f.value, f.unit)} {f.unit} | {ref} | {ratio} | {f.target} | {'yes' if f.ok else '**no**'} {f.note} |")
    lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {path}")
