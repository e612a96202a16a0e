"""Uploaded files on S3-compatible object storage (STORAGE_S3_BUCKET): saved into the bucket, read back only
after the platform's check, as a redirect to a short-lived signed address; backed up and restored from it."""

import urllib.parse

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto import mock_aws

from yingshang.core import backup
from yingshang.tickets.models import Ticket
from yingshang.tickets.tests.conftest import world  # noqa: F401 — the ledger's small world

BUCKET = "yingshang-files"


@pytest.fixture
def bucket(settings):
    with mock_aws():
        boto3.client("s3", region_name="cn-north-1").create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "cn-north-1"})
        settings.STORAGES = {**settings.STORAGES, "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": BUCKET, "region_name": "cn-north-1", "access_key": "test",
                        "secret_key": "test", "default_acl": None, "querystring_auth": True,
                        "querystring_expire": 60, "file_overwrite": False, "signature_version": "s3v4"}}}
        yield boto3.client("s3", region_name="cn-north-1")


def _objects(s3) -> dict[str, bytes]:
    listed = s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {o["Key"]: s3.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read() for o in listed}


@pytest.mark.django_db
def test_an_attachment_goes_to_the_bucket_and_comes_back_by_a_signed_redirect_after_the_check(client, world,
                                                                                             bucket):
    client.force_login(world.member)
    photo = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff jpeg on s3", content_type="image/jpeg")
    response = client.post("/tickets/new/", {"enterprise": world.firm.pk, "category": world.category.pk,
                                             "title": "厂区停电", "description": "昨晚起停电", "urgency": "normal",
                                             "attachments": [photo]})
    assert response.status_code == 302
    att = Ticket.objects.get().attachments.get()
    stored = _objects(bucket)
    assert stored == {att.file.name: b"\xff\xd8\xff jpeg on s3"}

    download = client.get(f"/tickets/attachments/{att.pk}/")
    assert download.status_code == 302 and "no-store" in download["Cache-Control"]
    url = urllib.parse.urlsplit(download.url)
    query = urllib.parse.parse_qs(url.query)
    assert BUCKET in url.netloc + url.path and url.path.endswith(urllib.parse.quote(att.file.name.split("/")[-1]))
    assert query["X-Amz-Expires"] == ["60"] and "X-Amz-Signature" in query
    disposition = query["response-content-disposition"][0]
    assert disposition.startswith("attachment;") and "%E7%8E%B0%E5%9C%BA.jpg" in disposition

    # another firm's staff get no address at all
    client.force_login(world.other_member)
    refused = client.get(f"/tickets/attachments/{att.pk}/")
    assert refused.status_code == 404 and "Location" not in refused


@pytest.mark.django_db
def test_a_backup_reads_the_bucket_and_a_restore_writes_it_back(bucket, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save("tickets/2026/12/a.pdf", ContentFile(b"%PDF a"))
    default_storage.save("credit/b.txt", ContentFile(b"b"))
    assert backup.stored_files() == ["credit/b.txt", "tickets/2026/12/a.pdf"]
    assert backup.backup_files(tmp_path, out=None) == ["credit/b.txt", "tickets/2026/12/a.pdf"]
    assert (tmp_path / "media" / "tickets/2026/12/a.pdf").read_bytes() == b"%PDF a"
    manifest = {"files": {"media/credit/b.txt": {}, "media/tickets/2026/12/a.pdf": {}}}

    # the files are put back into an emptied bucket (a restore refuses a bucket that holds them already)
    with pytest.raises(backup.BackupError, match="in the storage already"):
        backup.restore_files(tmp_path, manifest)
    for key in list(_objects(bucket)):
        bucket.delete_object(Bucket=BUCKET, Key=key)
    backup.restore_files(tmp_path, manifest)
    assert _objects(bucket) == {"credit/b.txt": b"b", "tickets/2026/12/a.pdf": b"%PDF a"}
