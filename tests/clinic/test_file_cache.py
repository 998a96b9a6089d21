"""The default shared cache keeps its folder bounded without listing it on every write."""

from clinic.cache import CULL_CHECK_EVERY, FileCache


def cache_in(folder, max_entries):
    return FileCache(str(folder), {"OPTIONS": {"MAX_ENTRIES": max_entries, "CULL_FREQUENCY": 2}})


def test_the_folder_stays_near_max_entries(tmp_path):
    cache = cache_in(tmp_path, max_entries=50)
    for number in range(1000):
        cache.set(f"key-{number}", number)
    files = list(tmp_path.glob("*.djcache"))
    assert len(files) <= 50 + CULL_CHECK_EVERY
    assert cache.get("key-999") == 999


def test_values_read_back_and_expire(tmp_path):
    cache = cache_in(tmp_path, max_entries=100)
    cache.set("kept", {"count": 3}, timeout=60)
    cache.set("gone", 1, timeout=-1)
    assert cache.get("kept") == {"count": 3}
    assert cache.get("gone") is None
