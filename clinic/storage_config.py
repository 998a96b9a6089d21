"""Where stored files live (issued handouts, uploaded logos and pictures), from STORAGE_URL.

Empty: the local media folder (MEDIA_ROOT), files owner-only. Otherwise an S3-compatible
object storage, so that several app servers read the same files:

    s3://KEY:SECRET@host:port/bucket/optional/prefix?region=eu-west-1   (HTTPS)
    s3+http://KEY:SECRET@127.0.0.1:8333/bucket                          (plain HTTP, loopback)

The credentials may instead come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. A URL that
cannot work (unknown scheme, no host, no credentials, a bucket name S3 refuses) stops start-up
with a message naming what is wrong; a storage server that merely does not answer does not.
"""

import re
import urllib.parse
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

from clinic.service_urls import split_service_url

LOCAL_BACKEND = "clinic.file_storage.OwnerOnlyFileSystemStorage"
OBJECT_BACKEND = "clinic.file_storage.ObjectStorage"
ENDPOINT_SCHEMES = {"s3": "https", "s3+http": "http"}
DEFAULT_REGION = "us-east-1"
# S3's rules: 3-63 characters of lower-case letters, digits, dots and hyphens, a letter or
# digit at each end, no two dots in a row, not shaped like an IP address.
BUCKET_NAME = re.compile(r"(?!\d+\.\d+\.\d+\.\d+$)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


def _refuse(problem: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"STORAGE_URL {problem}")


def default_storage_from_url(url: str, environ: Mapping[str, str]) -> dict:
    """The STORAGES["default"] entry that STORAGE_URL names (see the module's docstring)."""
    if not url:
        return {"BACKEND": LOCAL_BACKEND}
    parts = split_service_url(
        "STORAGE_URL", url, ENDPOINT_SCHEMES, "s3:// (HTTPS) or s3+http:// (plain HTTP)"
    )
    if not parts.hostname:
        raise _refuse("names no host: s3://KEY:SECRET@host:port/bucket.")
    bucket, _slash, prefix = parts.path.lstrip("/").partition("/")
    if not BUCKET_NAME.fullmatch(bucket):
        raise _refuse(
            f"names the bucket {bucket!r}, which is not a valid bucket name: 3 to 63 lower-case "
            "letters, digits, dots and hyphens, starting and ending with a letter or digit."
        )
    access_key = urllib.parse.unquote(parts.username or "") or environ.get("AWS_ACCESS_KEY_ID")
    secret_key = urllib.parse.unquote(parts.password or "") or environ.get("AWS_SECRET_ACCESS_KEY")
    if not (access_key and secret_key):
        raise _refuse(
            "has no credentials: give them in the URL (s3://KEY:SECRET@host/bucket) or in "
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
        )
    query = urllib.parse.parse_qs(parts.query)
    unknown = sorted(set(query) - {"region"})
    if unknown:
        raise _refuse(f"has parameters it does not know: {', '.join(unknown)} (only region).")
    host = parts.netloc.rpartition("@")[2]
    return {
        "BACKEND": OBJECT_BACKEND,
        "OPTIONS": {
            "endpoint_url": f"{ENDPOINT_SCHEMES[parts.scheme]}://{host}",
            "bucket_name": bucket,
            "location": prefix.strip("/"),
            "access_key": access_key,
            "secret_key": secret_key,
            "region_name": query.get("region", [DEFAULT_REGION])[0],
        },
    }
