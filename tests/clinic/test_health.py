"""/livez, /readyz and /healthz: what a load balancer or Kubernetes asks before sending work."""

import pytest

from clinic import readiness

pytestmark = pytest.mark.django_db


@pytest.fixture
def storage_writes(monkeypatch):
    """Counts the storage write probes (the real probe still runs), none remembered yet."""
    calls = []
    monkeypatch.setattr(readiness, "_last_storage_probe", [])
    probe = readiness.storage_writable

    def counted():
        calls.append(1)
        return probe()

    monkeypatch.setattr(readiness, "storage_writable", counted)
    return calls


@pytest.fixture
def unreadable_cache(settings, tmp_path):
    """A file cache whose folder cannot exist (its parent is a regular file)."""
    regular_file = tmp_path / "not-a-folder"
    regular_file.write_text("")
    settings.CACHES = {
        "default": {"BACKEND": "clinic.cache.FileCache", "LOCATION": regular_file / "cache"}
    }


def test_livez_answers_without_touching_the_database_the_cache_or_the_storage(
    client, unwritable_media, unreadable_cache, storage_writes, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")
    assert storage_writes == []


def test_readyz_and_healthz_answer_each_dependency(client):
    for path in ("/readyz", "/healthz"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "media": "ok"}


def test_readyz_is_503_while_the_cache_does_not_answer(client, unreadable_cache):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["cache"] == "unreachable"


def test_the_storage_write_probe_is_remembered_for_a_few_seconds_not_repeated_per_request(
    client, storage_writes, monkeypatch
):
    for _ in range(5):
        assert client.get("/readyz").status_code == 200
    assert storage_writes == [1]

    monkeypatch.setattr(readiness, "STORAGE_PROBE_SECONDS", 0)
    client.get("/readyz")
    client.get("/readyz")
    assert storage_writes == [1, 1, 1]


def test_a_server_becomes_ready_when_its_storage_can_be_written_again(
    client, settings, tmp_path, unwritable_media
):
    assert client.get("/readyz").status_code == 503
    settings.MEDIA_ROOT = tmp_path / "media"
    assert client.get("/readyz").status_code == 200
