"""The shared import guard (helhedsplan.uploads): every limit refuses with its Danish message, and
what a file declares about itself (its range) never counts — only the rows and cells it has."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from helhedsplan.spreadsheets import read_table
from helhedsplan.uploads import ImportLimits, ImportRefused, check_import_file, import_limits
from tests import spreadsheets

HEADERS = ["plan", "indsatsområde", "indikator", "år", "værdi", "note"]


def refusal(source, **kwargs) -> ImportRefused:
    with pytest.raises(ImportRefused) as info:
        check_import_file(source, **kwargs)
    return info.value


def small(**changes) -> ImportLimits:
    values = dict(max_bytes=5 * spreadsheets.MB, max_unzipped_bytes=50 * spreadsheets.MB,
                  max_part_bytes=25 * spreadsheets.MB, max_compression_ratio=100, max_rows=10_000, max_cells=250_000)
    values.update(changes)
    return ImportLimits(**values)


def test_limits_come_from_settings_with_documented_defaults(settings):
    limits = import_limits()
    assert (limits.max_bytes, limits.max_unzipped_bytes, limits.max_rows) == (5 * 1024 * 1024, 50 * 1024 * 1024,
                                                                              10_000)
    assert import_limits("budgetark").max_rows == 2_000
    settings.BUDGET_IMPORT_MAX_ROWS = 300
    assert import_limits("budgetark").max_rows == 300


def test_too_many_rows_is_refused_with_the_real_count():
    data = spreadsheets.table(HEADERS, ([f"p{i}", "a", "b", 2023, i, ""] for i in range(10_500)))
    exc = refusal(data, name="værdier.xlsx")
    assert exc.code == "rows"
    assert exc.message == "Filen er for stor: højst 10.000 rækker (filen har 10.501)."


def test_a_declared_huge_range_with_three_rows_is_three_rows(tmp_path):
    data = spreadsheets.with_declared_dimension(spreadsheets.table(HEADERS, [["p", "a", "b", 2023, 1, ""]] * 2))
    assert b'<dimension ref="A1:XFD1048576"/>' in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    path = tmp_path / "stor-dimension.xlsx"
    path.write_bytes(data)
    facts = check_import_file(path)
    assert (facts.rows, facts.cells) == (3, 18)
    dataset = read_table(data, file_format="xlsx")
    assert dataset.headers == HEADERS and dataset.height == 2 and dataset[1] == ("p", "a", "b", 2023, 1, None)


def test_a_row_far_right_is_read_only_up_to_its_header():
    workbook = Workbook()
    workbook.active.append(["plan", "år"])
    workbook.active.append(["p", 2023])
    workbook.active.cell(2, 16384).value = "langt ude til højre"
    dataset = read_table(spreadsheets.save(workbook), file_format="xlsx")
    assert dataset.headers == ["plan", "år"] and list(dataset) == [("p", 2023)]


def test_file_size_is_refused_before_the_file_is_opened(tmp_path):
    path = tmp_path / "stor.xlsx"
    path.write_bytes(b"x" * (5 * spreadsheets.MB + 1))
    exc = refusal(path)
    assert exc.code == "file_size" and exc.message == "Filen er for stor: højst 5 MB (filen fylder 5,1 MB)."


def test_unzipped_size_part_size_and_compression_ratio():
    data = spreadsheets.with_notes_sheet(spreadsheets.table(HEADERS, []), kilobytes=1200)
    exc = refusal(data, name="x.xlsx", limits=small(max_unzipped_bytes=spreadsheets.MB))
    assert exc.code == "unzipped_size"
    assert exc.message.startswith("Filen er for stor udpakket: højst 1 MB (filen fylder 1,")
    exc = refusal(data, name="x.xlsx", limits=small(max_part_bytes=spreadsheets.MB))
    assert exc.code == "part_size" and "delen »xl/worksheets/sheet2.xml« fylder" in exc.message
    bomb = spreadsheets.with_zip_bomb_part(spreadsheets.table(HEADERS, []))
    exc = refusal(bomb, name="x.xlsx")
    assert exc.code == "compression_ratio"
    assert exc.message.startswith("Filen er pakket usædvanligt tæt: delen »xl/media/image1.bin« fylder ")
    assert "gange mere udpakket (højst 100). Sådan ser en zip-bombe ud, ikke et regneark." in exc.message


@pytest.mark.parametrize("content", [
    spreadsheets.NOT_A_ZIP,
    b"PK\x03\x04 ikke en rigtig zip-fil",
    b"",
])
def test_a_file_that_is_no_zip_is_refused(content):
    exc = refusal(content, name="regneark.xlsx")
    assert exc.code == "not_xlsx"
    assert exc.message == ("Filen kunne ikke læses: den er ikke en Excel-fil i .xlsx-format (den kan ikke åbnes "
                           "som regneark).")


def test_a_sheet_with_a_dtd_is_refused():
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>')
    data = spreadsheets.rezip(spreadsheets.table(HEADERS, []),
                              change=lambda name, content: laughs if name == "xl/worksheets/sheet1.xml" else content)
    assert refusal(data, name="x.xlsx").message.endswith("(den indeholder en DTD).")


def test_empty_styled_cells_count_as_cells():
    data = spreadsheets.with_styled_empty_cells(spreadsheets.table(HEADERS, [["p", "a", "b", 2023, 1, "x"]]),
                                                "Ark1", 1_200)
    assert check_import_file(data, name="x.xlsx").cells == 1_212
    exc = refusal(data, name="x.xlsx", limits=small(max_cells=1_000))
    assert exc.code == "cells"
    assert exc.message == "Filen er for stor: højst 1.000 celler (et ark i filen har 1.212)."


def test_shared_strings_are_bounded():
    # A shared-strings table openpyxl would keep in memory, far larger than the one cell using it.
    entries = "".join(f"<si><t>tekst {index}</t></si>" for index in range(300)).encode()
    table = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="300" '
             b'uniqueCount="300">' + entries + b"</sst>")
    workbook = Workbook()
    workbook.active.append(["tekst 0"])
    extra = {"xl/sharedStrings.xml": (table, zipfile.ZIP_DEFLATED)}
    data = spreadsheets.rezip(spreadsheets.save(workbook), extra=extra)
    exc = refusal(data, name="x.xlsx", limits=small(max_cells=250))
    assert exc.code == "strings" and exc.message == "Filen er for stor: højst 250 forskellige tekster (filen har 300)."


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_csv_lines_are_counted_whatever_the_line_ending(newline):
    data = newline.join(["plan;år"] + ["p;2023"] * 10_000).encode()
    exc = refusal(data, name="værdier.csv")
    assert exc.code == "rows" and exc.message == "Filen er for stor: højst 10.000 rækker (filen har 10.001)."
    assert check_import_file(newline.join(["plan;år"] + ["p;2023"] * 9_999).encode(), name="v.csv").rows == 10_000


def test_csv_with_a_separator_storm_is_refused():
    exc = refusal(b";" * 300_000 + b"\n", name="v.csv")
    assert exc.code == "cells"


def test_an_open_file_keeps_its_position_and_an_unknown_format_is_refused():
    data = spreadsheets.table(HEADERS, [])
    handle = io.BytesIO(data)
    check_import_file(handle, name="x.xlsx")
    assert handle.tell() == 0 and handle.read() == data
    assert refusal(b"%PDF-1.7", name="rapport.pdf").message == (
        "Filen skal være et regneark (.xlsx) eller en CSV-fil (.csv).")
