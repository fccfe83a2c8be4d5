"""Hostile files: refused by the one bounded reader, fast and small, on every import path.

Files (built here; the size bounds themselves are measured by ``bench_imports``):
- a zip bomb: a part of 200 MB of zeros packed to about 0.2 MB;
- a damaged zip inside the sheet: a valid value table whose sheet's packed bytes are broken half-way;
- raw control characters (NUL, bell) in the sheet's XML;
- a comma-separated csv of 9,000 rows whose second row holds an unquoted decimal comma (indicator
  import only: the budget paths take .xlsx only, the admin's csv is the same reader);
- a value table of 9,999 rows, just within the row limit, every row naming an indicator the plan does
  not have (indicator import and the admin's import: each row is looked up, at most 50 are listed).

Each run is a child process of ``bench_imports`` (the same paths, database and peak-memory measure).
Target: refused in under 2 s and under 200 MB peak, with a Danish message.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from .bench_imports import (
    BUDGET_PATHS,
    MAX_PEAK_MB,
    MAX_SECONDS,
    PATHS,
    _environment,
    _run_child,
    _value_rows,
    _with_sheet,
)
from .common import PYTHON, ROOT
from .figures import Figure

SHEET = "xl/worksheets/sheet1.xml"


def _zip_bomb(source: Path, target: Path, megabytes: int = 200) -> None:
    shutil.copy(source, target)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/media/image1.bin", "w") as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                part.write(chunk)


def _damaged(source: Path, target: Path) -> None:
    data = bytearray(source.read_bytes())
    info = zipfile.ZipFile(source).getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + info.compress_size // 2
    for offset in range(start, start + 64):
        data[offset] ^= 0x5A
    target.write_bytes(bytes(data))


def _control_characters(source: Path, target: Path) -> None:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in original.infolist():
            content = original.read(info.filename)
            if info.filename == SHEET:
                content = content.replace(b"<sheetData>", b"<sheetData>\x00\x07", 1)
            archive.writestr(info.filename, content)


def _comma_csv(target: Path, facts: dict) -> None:
    lines = ["plan,indsatsområde,indikator,år,værdi,note"]
    year = facts["years"][0]
    for index in range(9_000):
        lines.append(f"{facts['plan']},{facts['area']},{facts['indicator']},{year},{index},5,")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run() -> list[Figure]:
    folder = Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    try:
        env = _environment(folder)
        (folder / "sessions").mkdir()
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        _run_child(env, "setup", str(folder))
        facts = json.loads((folder / "facts.json").read_text())
        table = folder / "table.xlsx"
        _with_sheet(table, _value_rows(50, facts["plan"], facts["area"], facts["indicator"]))
        files = {"zip bomb (200 MB of zeros)": folder / "bomb.xlsx",
                 "damaged zip inside the sheet": folder / "damaged.xlsx",
                 "raw NUL in the sheet": folder / "nul.xlsx",
                 "comma csv, decimal comma": folder / "comma.csv",
                 "9,999 rows, every row wrong": folder / "every-row-wrong.xlsx"}
        _zip_bomb(table, files["zip bomb (200 MB of zeros)"])
        _damaged(table, files["damaged zip inside the sheet"])
        _control_characters(table, files["raw NUL in the sheet"])
        _comma_csv(files["comma csv, decimal comma"], facts)
        _with_sheet(files["9,999 rows, every row wrong"],
                    _value_rows(9_999, facts["plan"], facts["area"], "Ingen indikator har dette navn"),
                    dimension="A1:F10000")  # as Excel writes it

        figures = []
        for path_name in PATHS:
            for label, file in files.items():
                if file.suffix == ".csv" and path_name != "indicator import":
                    continue
                if file.name == "every-row-wrong.xlsx" and path_name in BUDGET_PATHS:
                    continue
                line, wall = _run_child(env, "run", path_name, str(file))
                result = json.loads(line)
                seconds, peak = result["seconds"], result["peak_mb"]
                ok = result["outcome"].startswith("refused") and seconds < MAX_SECONDS and peak < MAX_PEAK_MB
                raw = (f"{file.stat().st_size / 1024:.0f} kB; {result['outcome'][:140]}; CPU "
                       f"{result['cpu_seconds']:.2f} s; peak {peak:.0f} MB "
                       f"(before the import {result['base_mb']:.0f} MB); child process {wall:.1f} s")
                figures.append(Figure(f"Hostile file {path_name}, {label}", seconds,
                                      f"refused < {MAX_SECONDS:g} s, < {MAX_PEAK_MB} MB", ok, raw, unit=" s"))
        return figures
    finally:
        shutil.rmtree(folder, ignore_errors=True)
