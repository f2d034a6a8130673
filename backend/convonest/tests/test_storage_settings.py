"""File storage (settings.py, "File storage"): local files in dev and tests, S3-compatible storage (django-storages)
when a bucket is named. Settings are read once per process, so the S3 case runs in a child process; nothing in it
talks to the network (the storages are built, and URLs are made and signed locally)."""
import json

from django.conf import settings
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.core.files.storage import FileSystemStorage, storages

from convonest.tests.conftest import production_env, real_secrets, run_python

PROBE = """
import json
import django
django.setup()
from django.core.files.storage import storages
media, static = storages["default"], storages["staticfiles"]
print(json.dumps({
    "media": f"{type(media).__module__}.{type(media).__name__}",
    "static": f"{type(static).__module__}.{type(static).__name__}",
    "media_bucket": media.bucket_name, "media_location": media.location, "media_signed": media.querystring_auth,
    "media_overwrite": media.file_overwrite, "media_acl": media.default_acl,
    "static_location": static.location, "static_signed": static.querystring_auth,
    "endpoint": media.endpoint_url, "region": media.region_name, "addressing": media.addressing_style,
    "static_url": static.url("app.css"),
    "media_url": media.url("schema_x/media/1.jpg"),
}))
"""


def _s3(**env) -> dict:
    done = run_python(PROBE, production_env(**real_secrets(), **env))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_without_a_bucket_files_stay_on_the_local_filesystem():
    assert settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert settings.STORAGES["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert type(storages["default"]) is FileSystemStorage
    assert type(storages["staticfiles"]) is StaticFilesStorage
    assert str(storages["staticfiles"].location) == str(settings.STATIC_ROOT)


def test_with_a_bucket_media_and_static_files_go_to_s3_compatible_storage():
    found = _s3(AWS_STORAGE_BUCKET_NAME="convonest-files", AWS_S3_ENDPOINT_URL="https://s3.storage.example",
                AWS_S3_REGION_NAME="eu-central-1", AWS_S3_ADDRESSING_STYLE="path",
                AWS_S3_CUSTOM_DOMAIN="static.convonest.example", AWS_ACCESS_KEY_ID="AKIAEXAMPLEEXAMPLE",
                AWS_SECRET_ACCESS_KEY="not-a-real-secret-key")

    assert found["media"] == found["static"] == "storages.backends.s3.S3Storage"
    assert (found["media_bucket"], found["endpoint"], found["region"], found["addressing"]) == (
        "convonest-files", "https://s3.storage.example", "eu-central-1", "path")
    # Message media is private: only ever streamed through the API; any URL made for it is signed and short-lived.
    assert (found["media_location"], found["media_signed"], found["media_overwrite"], found["media_acl"]) == (
        "media", True, False, None)
    assert "X-Amz-Signature=" in found["media_url"]
    assert "/convonest-files/media/schema_x/media/1.jpg" in found["media_url"]
    # Static files are public, from the CDN domain when one is set.
    assert (found["static_location"], found["static_signed"]) == ("static", False)
    assert found["static_url"] == "https://static.convonest.example/static/app.css"


def test_s3_bucket_names_the_bucket_too():
    found = _s3(S3_BUCKET="other-bucket", AWS_ACCESS_KEY_ID="AKIAEXAMPLEEXAMPLE", AWS_SECRET_ACCESS_KEY="x" * 20)

    assert found["media"] == "storages.backends.s3.S3Storage"
    assert found["media_bucket"] == "other-bucket"
    assert found["endpoint"] is None and found["region"] is None
