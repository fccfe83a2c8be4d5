"""At most PDF_RENDER_SLOTS renders at a time on a machine, across processes.

Real processes (forked from the test) render real documents through ``pdf.render_pdf``. To see when
WeasyPrint actually works, each child process records the start and end of its ``write_pdf`` calls
(the library's method, wrapped in the child only) in a shared list; the slots themselves are the code
under test and are not touched.
"""

from __future__ import annotations

import multiprocessing
import time

import pytest
import weasyprint

from helhedsplan.documents import pdf

HTML = "<html><body>" + "".join(f"<p>Afsnit {n}: boligsocial indsats.</p>" for n in range(400)) + "</body></html>"
RENDERS_PER_PROCESS = 3

context = multiprocessing.get_context("fork")


def _render_and_record(intervals, barrier) -> None:
    """Child process: render a few times, recording when WeasyPrint writes (and, with a barrier, wait
    inside the render until the other process is inside one too)."""
    original = weasyprint.HTML.write_pdf

    def recorded(self, *args, **kwargs):
        start = time.monotonic()  # CLOCK_MONOTONIC: one clock for every process of the machine
        if barrier is not None:
            barrier.wait(timeout=60)
        try:
            return original(self, *args, **kwargs)
        finally:
            intervals.append((start, time.monotonic()))

    weasyprint.HTML.write_pdf = recorded
    for _ in range(RENDERS_PER_PROCESS if barrier is None else 1):
        assert pdf.render_pdf(HTML).startswith(b"%PDF")


def _run_two(barrier=None) -> list[tuple[float, float]]:
    with context.Manager() as manager:
        intervals = manager.list()
        processes = [context.Process(target=_render_and_record, args=(intervals, barrier)) for _ in range(2)]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=120)
        assert [process.exitcode for process in processes] == [0, 0]
        return sorted(intervals)


def test_with_one_slot_two_processes_never_render_at_the_same_time(settings, tmp_path):
    settings.PDF_RENDER_SLOTS = 1
    settings.PDF_RENDER_SLOT_DIR = tmp_path / "slots"
    intervals = _run_two()
    assert len(intervals) == 2 * RENDERS_PER_PROCESS
    for (_, end), (next_start, _) in zip(intervals, intervals[1:], strict=False):
        assert end <= next_start, intervals


def test_with_two_slots_two_processes_render_side_by_side(settings, tmp_path):
    settings.PDF_RENDER_SLOTS = 2
    settings.PDF_RENDER_SLOT_DIR = tmp_path / "slots"
    # Each child waits inside its render until the other one is inside its own: both get there only if
    # two renders may run at once (with one slot the barrier would break and the child fail).
    intervals = _run_two(barrier=context.Barrier(2))
    assert len(intervals) == 2
    assert intervals[1][0] < intervals[0][1], "the two renders overlapped"


def test_a_render_waits_while_every_slot_is_held_by_another_process(settings, tmp_path):
    settings.PDF_RENDER_SLOTS = 1
    settings.PDF_RENDER_SLOT_DIR = tmp_path / "slots"
    holding, release = context.Event(), context.Event()

    def hold_the_slot() -> None:
        with pdf.render_slot():
            holding.set()
            release.wait(timeout=60)

    holder = context.Process(target=hold_the_slot)
    holder.start()
    try:
        assert holding.wait(timeout=60)
        done = context.Event()
        renderer = context.Process(target=lambda: (pdf.render_pdf(HTML), done.set()))
        renderer.start()
        # While the other process holds the only slot, the render cannot finish …
        assert not done.wait(timeout=1.5)
        release.set()
        # … and it does once the slot is given back.
        renderer.join(timeout=60)
        assert renderer.exitcode == 0 and done.is_set()
    finally:
        release.set()
        holder.join(timeout=60)


@pytest.mark.parametrize("slots", [1, 3])
def test_slots_are_numbered_and_reused(settings, tmp_path, slots):
    settings.PDF_RENDER_SLOTS = slots
    settings.PDF_RENDER_SLOT_DIR = tmp_path / "slots"
    with pdf.render_slot() as first:
        assert first == 0
        if slots > 1:
            with pdf.render_slot() as second:
                assert second == 1
    with pdf.render_slot() as again:
        assert again == 0
    assert sorted(path.name for path in (tmp_path / "slots").iterdir()) == \
        [f"slot-{n}.lock" for n in range(min(slots, 2))]
