"""The LBF-udtræk holds the files of the bilag the exported approvals hold, byte for byte, and no other."""

from __future__ import annotations

import zipfile
from datetime import date

import pytest

from agreements.attachments import attachment_delete
from agreements.models import Attachment
from helhedsplan.lbf.export import export_lbf
from tests import attachment_files as files
from tests.lbf.conftest import approve

pytestmark = pytest.mark.django_db


def test_the_export_has_the_approved_bilag_files_and_names_a_deleted_one(ws, tmp_path):
    diagram_bytes, kommissorium_bytes, school_bytes = files.png(), files.pdf(2), files.pdf(1)
    files.attach(ws.plan, ws.secretary, kind=Attachment.Kind.ORGANISATION_DIAGRAM, title="Organisationsdiagram",
                 content=diagram_bytes)
    kommissorium = files.attach(ws.plan, ws.secretary, title="Kommissorium for bestyrelsen",
                                content=kommissorium_bytes)
    files.attach(ws.plan, ws.secretary, title="Aftale med skolen", content=school_bytes, sub_agreement=ws.sub_agreement)
    approve(ws, meeting=date(2024, 3, 1), strategic=True)
    approve(ws, meeting=date(2024, 3, 1))
    files.attach(ws.plan, ws.secretary, title="Udkast, ikke godkendt", content=files.pdf(4))

    export_lbf(output=tmp_path / "a.zip", slugs=[ws.plan.slug])
    archive = zipfile.ZipFile(tmp_path / "a.zip")
    bilag = {name: archive.read(name) for name in archive.namelist() if "/bilag/" in name}

    folder = f"{ws.plan.slug}/bilag"
    assert bilag == {
        f"{folder}/samarbejdsaftale-1-organisationsdiagram.png": diagram_bytes,
        f"{folder}/samarbejdsaftale-2-kommissorium-for-bestyrelsen.pdf": kommissorium_bytes,
        f"{folder}/delaftale-1-{ws.sub_agreement.focus_area.slug}-1-aftale-med-skolen.pdf": school_bytes,
    }
    assert "samarbejdsaftale-2-kommissorium-for-bestyrelsen.pdf" in archive.read("README.txt").decode()

    attachment_delete(attachment=kommissorium, by=ws.secretary)
    export_lbf(output=tmp_path / "b.zip", slugs=[ws.plan.slug])
    archive = zipfile.ZipFile(tmp_path / "b.zip")

    assert not any("kommissorium" in name for name in archive.namelist())
    assert ("Godkendte bilag, hvis fil er slettet siden (ikke med): Kommissorium for bestyrelsen"
            in archive.read("README.txt").decode())
