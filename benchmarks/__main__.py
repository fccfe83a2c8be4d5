"""``make bench``: run every benchmark, print one line per figure, append them to RESULTS.md."""

from __future__ import annotations

import os
import platform
import re
import sys
import traceback
from datetime import datetime
from importlib import import_module
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
MODULES = ["bench_pdf", "bench_pages_under_pdf", "bench_queries", "bench_scale", "bench_imports", "bench_hostile_files"]


def machine() -> str:
    cpu = ""
    try:
        cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text()).group(1)
    except (OSError, AttributeError):
        pass
    cpu = cpu or platform.processor()
    return f"{platform.node() or 'unknown'}, {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def previous_entry() -> dict[str, str]:
    if not RESULTS.exists():
        return {}
    entries = RESULTS.read_text(encoding="utf-8").split("\n## ")
    last = entries[-1] if len(entries) > 1 else ""
    return dict(re.findall(r"^- \[(?:OK |MISS)\] ([^:]+): ([^ ]+)", last, flags=re.M))


def main(selected: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helhedsplan.settings")
    import django

    django.setup()
    before = previous_entry()
    lines, failures = [], 0
    for name in MODULES:
        if selected and name not in selected:
            continue
        try:
            module = import_module(f"benchmarks.{name}")
        except ModuleNotFoundError:
            continue
        try:
            figures = module.run()
        except Exception:  # report and go on with the other benchmarks
            traceback.print_exc()
            print(f"[FAIL] {name}: crashed")
            failures += 1
            continue
        for figure in figures:
            line = figure.line()
            if figure.name in before:
                line += f" (previous: {before[figure.name]})"
            print(line, flush=True)
            lines.append(line)
    stamp = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    with RESULTS.open("a", encoding="utf-8") as handle:
        if RESULTS.stat().st_size == 0:
            handle.write("# Benchmark results\n\nAppended by `make bench`; newest last.\n")
        handle.write(f"\n## {stamp} — {machine()}\n\n" + "\n".join(f"- {line}" for line in lines) + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
