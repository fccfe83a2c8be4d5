"""Import bounds: every import path refuses an oversized file fast and small, and reads a sheet that
merely declares a huge range (A1:XFD1048576) from its few real rows.

Files (built here, written to a temporary folder):
- 200,000 rows of indicator values, about 3.9 MB packed and 58 MB unpacked;
- 20,000 rows, within the byte limits: refused by counting rows;
- 9 million empty styled cells in 9,000 rows, about 0.1 MB packed;
- A1:XFD1048576: the amager budgetark (budget paths) or a three-row value table (indicator and admin
  paths), each declaring the whole sheet as its range.

Paths: the budget upload page, ``manage.py import_budget --dry-run``, the indicator import page and the
admin's import of Årlig opfølgning. Each run is a child process on a throwaway SQLite database with the
demo data, so its peak memory is its own (VmHWM, the child's ``ru_maxrss`` without what Linux carries
over from the parent); the time is measured around the import alone, the page it is sent from having
been served once (Django's start-up excluded, and reported apart). Targets: refused in under 2 s and under 200 MB peak;
the declared-range files read, not refused, in under 1 s.
"""

from __future__ import annotations

import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from .common import PYTHON, ROOT
from .figures import Figure

PATHS = ["budget upload", "import_budget", "indicator import", "admin import"]
BUDGET_PATHS = {"budget upload", "import_budget"}
MAX_SECONDS, MAX_PEAK_MB, MAX_READ_SECONDS = 2.0, 200, 1.0
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


# --- files -------------------------------------------------------------------------------------

def _skeleton() -> bytes:
    """A minimal workbook from openpyxl; its sheet is replaced by the builders below."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Ark1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_sheet(target: Path, rows, *, dimension: str | None = None) -> None:
    """Write ``target``: the skeleton with its sheet streamed from ``rows`` (XML of one row each)."""
    source = zipfile.ZipFile(io.BytesIO(_skeleton()))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, source.read(info.filename))
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<worksheet xmlns="{SHEET_NS}">'.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == 1000:
                    sheet.write("".join(batch).encode())
                    batch = []
            sheet.write("".join(batch).encode())
            sheet.write(b"</sheetData></worksheet>")


def _text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _value_rows(count: int, plan: str, area: str, indicator: str):
    """A header and ``count`` value rows (the cells leave out their references, as they may), with
    varying numbers and notes, so that 200,000 rows pack like the reviewed file: ~3.9 MB for 58 MB."""
    def text(value: str) -> str:
        return f'<c t="inlineStr"><is><t>{value}</t></is></c>'

    headers = ("plan", "indsatsområde", "indikator", "år", "værdi", "note")
    yield '<row r="1">' + "".join(text(header) for header in headers) + "</row>"
    for index in range(2, count + 2):
        value = index * 7919 % 100_003 / 10
        note = f"Note {index * 104_729 % 1_000_003}-{index * 2_654_435_761 % 4_294_967_311:08x}"
        yield (f'<row r="{index}">{text(plan)}{text(area)}{text(indicator)}<c><v>{2022 + index % 4}</v></c>'
               f"<c><v>{value}</v></c>{text(note)}</row>")


def _styled_cells(rows: int, per_row: int):
    cells = '<c s="1"/>' * per_row
    for index in range(1, rows + 1):
        yield f'<row r="{index}">{cells}</row>'


def _declared_range(data: bytes, target: Path) -> None:
    import re

    source = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                content = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', content)
            archive.writestr(info.filename, content)


def _sizes(path: Path) -> str:
    """In MB of 1024 × 1024 bytes, as the refusals count."""
    unpacked = sum(info.file_size for info in zipfile.ZipFile(path).infolist())
    return f"{path.stat().st_size / 2**20:.1f} MB packed, {unpacked / 2**20:.0f} MB unpacked"


# --- the child process ---------------------------------------------------------------------------

def _child_setup(folder: Path) -> None:
    """Demo data, two users, and the files that need it: the budgetark and a value table."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from agreements.models import Plan, PlanMembership
    from budgets.selectors import budget_sheet
    from budgets.xlsx import write_budget_xlsx
    from indicators.models import Indicator

    call_command("load_demo", verbosity=0)
    plan = Plan.objects.get(slug="amager")
    users = get_user_model().objects
    secretariat = users.create_user("bench-sekretariat", password="x")
    PlanMembership.objects.create(plan=plan, user=secretariat, role=PlanMembership.Role.SECRETARIAT)
    users.create_superuser("bench-admin", password="x")
    _declared_range(write_budget_xlsx(budget_sheet(plan)), folder / "budget-A1-XFD1048576.xlsx")
    indicator = Indicator.objects.filter(goal__plan=plan).select_related("goal__focus_area").first()
    facts = {"plan": plan.slug, "area": indicator.goal.focus_area.name, "indicator": indicator.text,
             "years": plan.years}
    (folder / "facts.json").write_text(json.dumps(facts))


def _message(body: str) -> str:
    """The refusal shown in the page: the first list item (form error or problem) about the file."""
    import html
    import re

    for item in re.findall(r"<li>(.*?)</li>", body, flags=re.DOTALL):
        text = html.unescape(re.sub(r"<[^>]+>", "", item)).strip()
        if text.startswith("Filen") or "række" in text:
            return text
    return ""


def _child_run(path_name: str, file: Path) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    users = get_user_model().objects
    client = Client()
    client.force_login(users.get(username="bench-admin" if path_name == "admin import" else "bench-sekretariat"))
    # The page the upload is sent from, requested once first, as a running server has served it before.
    page = {"budget upload": reverse("budgets:sheet", args=["amager"]),
            "indicator import": reverse("indicators:import", args=["amager"]),
            "admin import": reverse("admin:indicators_indicatorvalue_import")}.get(path_name)
    format_choice = ""
    if page:
        body = client.get(page).content.decode()
        if path_name == "admin import":
            import re

            format_choice = re.search(r'<option value="(\d+)">xlsx</option>', body).group(1)
    data = file.read_bytes()
    before = _peak_kb()
    start, cpu_start = time.perf_counter(), time.process_time()
    if path_name == "import_budget":
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command("import_budget", "amager", str(file), "--dry-run", stdout=out, stderr=err)
            outcome = "read: " + out.getvalue().strip().splitlines()[-1]
        except SystemExit:
            outcome = "refused: " + err.getvalue().strip().replace("Budgetarket blev ikke indlæst: ", "")
    else:
        upload = SimpleUploadedFile(file.name, data)
        if path_name == "budget upload":
            response = client.post(reverse("budgets:upload", args=["amager"]), {"file": upload})
            read = response.status_code == 302
        elif path_name == "indicator import":
            response = client.post(reverse("indicators:import", args=["amager"]), {"file": upload})
            read = response.status_code == 302
        else:
            response = client.post(reverse("admin:indicators_indicatorvalue_import"),
                                   {"format": format_choice, "import_file": upload})
            read = response.context.get("confirm_form") is not None
        outcome = ("read: " + (response.get("Location") or "import preview")) if read else (
            "refused: " + (_message(response.content.decode()) or f"HTTP {response.status_code}"))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    after = _peak_kb()
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_mb": after / 1024, "base_mb": before / 1024,
            "outcome": outcome}


def _peak_kb() -> int:
    """The child's own peak resident memory in kB. Linux's ``ru_maxrss`` of a child started from a large
    parent starts at the parent's peak (the high-water mark is carried over at fork and exec), so
    the child's figure comes from its own memory map (VmHWM) where there is one."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child(argv: list[str]) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helhedsplan.settings")
    django.setup()
    if argv[0] == "setup":
        _child_setup(Path(argv[1]))
        return
    print(json.dumps(_child_run(argv[1], Path(argv[2]))))


# --- the parent ---------------------------------------------------------------------------------

def _environment(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}", "DEBUG": "0",
                "DJANGO_SETTINGS_MODULE": "helhedsplan.settings", "MEDIA_ROOT": str(folder / "media"),
                "LOG_LEVEL": "WARNING"})
    return env


def _run_child(env: dict[str, str], *args: str) -> tuple[str, float]:
    start = time.perf_counter()
    done = subprocess.run([PYTHON, "-m", "benchmarks.bench_imports", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"child {args} failed:\n{done.stderr[-3000:]}")
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "", time.perf_counter() - start


def run() -> list[Figure]:
    folder = Path(tempfile.mkdtemp(prefix="bench-imports-"))
    try:
        env = _environment(folder)
        (folder / "sessions").mkdir()
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        _run_child(env, "setup", str(folder))
        facts = json.loads((folder / "facts.json").read_text())
        files = {
            "200,000 rows": folder / "200000-rows.xlsx",
            "20,000 rows": folder / "20000-rows.xlsx",
            "9 million empty styled cells": folder / "styled-cells.xlsx",
        }
        _with_sheet(files["200,000 rows"], _value_rows(200_000, facts["plan"], facts["area"], facts["indicator"]))
        _with_sheet(files["20,000 rows"], _value_rows(20_000, facts["plan"], facts["area"], facts["indicator"]))
        _with_sheet(files["9 million empty styled cells"], _styled_cells(9_000, 1_000))
        table = folder / "table-A1-XFD1048576.xlsx"
        year = facts["years"][0]
        rows = ['<row r="1">' + "".join(_text(f"{c}1", h) for c, h in zip("ABCDEF", [
            "plan", "indsatsområde", "indikator", "år", "værdi", "note"], strict=True)) + "</row>"]
        for index, value in ((2, "12,5"), (3, "13")):
            rows.append(f'<row r="{index}">{_text(f"A{index}", facts["plan"])}{_text(f"B{index}", facts["area"])}'
                        f'{_text(f"C{index}", facts["indicator"])}<c r="D{index}"><v>{year + index - 2}</v></c>'
                        f'{_text(f"E{index}", value)}</row>')
        _with_sheet(table, rows, dimension="A1:XFD1048576")

        figures = []
        for path_name in PATHS:
            declared = (folder / "budget-A1-XFD1048576.xlsx") if path_name in BUDGET_PATHS else table
            for label, file in [*files.items(), ("A1:XFD1048576", declared)]:
                line, wall = _run_child(env, "run", path_name, str(file))
                result = json.loads(line)
                seconds, peak = result["seconds"], result["peak_mb"]
                if label == "A1:XFD1048576":
                    ok = result["outcome"].startswith("read") and seconds < MAX_READ_SECONDS and peak < MAX_PEAK_MB
                    target = f"read < {MAX_READ_SECONDS:g} s, < {MAX_PEAK_MB} MB"
                    what = f"{file.stat().st_size / 1024:.0f} kB, declares A1:XFD1048576"
                else:
                    ok = result["outcome"].startswith("refused") and seconds < MAX_SECONDS and peak < MAX_PEAK_MB
                    target = f"refused < {MAX_SECONDS:g} s, < {MAX_PEAK_MB} MB"
                    what = _sizes(file)
                raw = (f"{what}; {result['outcome'][:110]}; peak {peak:.0f} MB (before the import "
                       f"{result['base_mb']:.0f} MB); child process {wall:.1f} s with Django's start-up")
                figures.append(Figure(f"Import bound {path_name}, {label}", seconds, target, ok, raw, unit=" s"))
        return figures
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    _child(sys.argv[1:])
