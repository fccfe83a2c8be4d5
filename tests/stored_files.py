"""Looking into the default storage from outside the app, for tests that run on both backends: local
files under MEDIA_ROOT, read with pathlib, or the real S3 server's bucket, read with boto3."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

BACKENDS = ["local", "s3"]


@dataclass
class StoredFiles:
    backend: str
    media_root: Path
    s3: object | None = None  # the ``s3_storage`` fixture's server, on S3

    @property
    def is_s3(self) -> bool:
        return self.backend == "s3"

    def names(self, prefix: str) -> list[str]:
        """Every stored name under the folder ``prefix``, sorted."""
        if self.is_s3:
            listing = self.s3.client().list_objects_v2(Bucket=self.s3.bucket, Prefix=f"{prefix}/")
            return sorted(item["Key"] for item in listing.get("Contents", []))
        folder = self.media_root / prefix
        if not folder.is_dir():
            return []
        return sorted(path.relative_to(self.media_root).as_posix() for path in folder.rglob("*") if path.is_file())

    def read(self, name: str) -> bytes:
        if self.is_s3:
            return self.s3.client().get_object(Bucket=self.s3.bucket, Key=name)["Body"].read()
        return (self.media_root / name).read_bytes()

    def write(self, name: str, data: bytes) -> None:
        """Put ``data`` at ``name``, replacing what is there (as someone with access to the storage could)."""
        if self.is_s3:
            self.s3.client().put_object(Bucket=self.s3.bucket, Key=name, Body=data)
        else:
            path = self.media_root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

    def remove(self, name: str) -> None:
        if self.is_s3:
            self.s3.client().delete_object(Bucket=self.s3.bucket, Key=name)
        else:
            (self.media_root / name).unlink()


def stored_files(request: pytest.FixtureRequest, media_root: Path) -> StoredFiles:
    """For a fixture parametrized with BACKENDS: on "s3" the default storage becomes a fresh bucket."""
    if request.param == "s3":
        return StoredFiles("s3", media_root, request.getfixturevalue("s3_storage"))
    return StoredFiles("local", media_root)
