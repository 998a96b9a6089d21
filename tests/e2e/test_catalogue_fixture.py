"""The browser tests' `catalogue` fixture: the catalogue is loaded once per run and restored for
each test, and a restored catalogue is the one `manage.py load_catalogue` makes."""

from django.db.models import Max

from exercises.catalogue.loader import load_catalogue
from exercises.models import Tag


def test_the_restored_catalogue_is_what_loading_the_default_catalogue_makes(catalogue):
    report = load_catalogue()

    assert report.counts, "the loader saw no record"
    assert {outcome for _kind, outcome in report.counts} == {"unchanged"}, report.lines()


def test_a_row_added_after_the_restore_gets_a_key_of_its_own(catalogue):
    restored_keys_end = Tag.objects.aggregate(Max("pk"))["pk__max"]

    added = Tag.objects.create(slug="added-in-this-test", name="Added in this test")

    assert added.pk > restored_keys_end
