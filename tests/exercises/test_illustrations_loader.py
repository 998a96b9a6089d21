"""load_catalogue and the pictures' own data file: the same never-overwrite rules."""

import pytest
import yaml

from exercises import services
from exercises.catalogue.loader import DEFAULT_ILLUSTRATIONS, load_catalogue
from exercises.models import Exercise, Illustration

pytestmark = pytest.mark.django_db


def illustrations_line(report) -> str:
    return next(line for line in report.lines() if line.startswith("illustrations:"))


def improved_file(tmp_path, slug="plank", alt_text="A better description of the plank."):
    data = yaml.safe_load(DEFAULT_ILLUSTRATIONS.read_text(encoding="utf-8"))
    data["exercises"][slug][1]["alt_text"] = alt_text
    path = tmp_path / "illustrations.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_every_catalogue_exercise_and_self_test_gets_its_pictures_once():
    first = load_catalogue()
    assert illustrations_line(first).startswith("illustrations: 22 added, 0 updated, 0 unchanged")
    assert Illustration.objects.filter(exercise__isnull=False).count() == 17
    assert Illustration.objects.filter(assessment__isnull=False).count() == 5
    second = load_catalogue()
    assert illustrations_line(second).startswith("illustrations: 0 added, 0 updated, 22 unchanged")


def test_untouched_pictures_follow_an_improved_data_file(tmp_path):
    load_catalogue()
    report = load_catalogue(illustrations_path=improved_file(tmp_path))
    assert illustrations_line(report).startswith("illustrations: 0 added, 1 updated, 21 unchanged")
    frames = Illustration.objects.get(exercise__slug="plank").frames
    assert frames[1]["alt_text"] == "A better description of the plank."
    again = load_catalogue(illustrations_path=improved_file(tmp_path))
    assert illustrations_line(again).startswith("illustrations: 0 added, 0 updated, 22 unchanged")


def test_an_editor_s_pose_is_never_overwritten(tmp_path):
    load_catalogue()
    plank = Exercise.objects.get(slug="plank")
    edited = plank.illustration.frames[:1]
    services.save_illustration(owner=plank, frames=edited)
    report = load_catalogue(illustrations_path=improved_file(tmp_path))
    assert illustrations_line(report).endswith("1 skipped (changed by an editor)")
    assert Illustration.objects.get(exercise=plank).frames == edited


def test_editing_an_exercise_s_text_does_not_freeze_its_pictures(tmp_path):
    load_catalogue()
    plank = Exercise.objects.get(slug="plank")
    services.save_exercise(instance=plank, data={"summary": "An editor's summary."})
    report = load_catalogue(illustrations_path=improved_file(tmp_path))
    assert illustrations_line(report).startswith("illustrations: 0 added, 1 updated")
    assert Exercise.objects.get(slug="plank").summary == "An editor's summary."
