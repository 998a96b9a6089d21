"""What the default catalogue says, as loaded: only what applies, who wrote it, what it cites."""

import re

import pytest
from django.apps import apps
from django.db import models

from exercises.catalogue.loader import DEFAULT_CATALOGUE, load_catalogue, read_catalogue
from exercises.models import (
    Caution,
    Condition,
    Exercise,
    SafetyNote,
    Severity,
    Source,
    Tier,
)
from exercises.selectors import safety_notes_for_programme
from exercises.wording import dose_sentence

pytestmark = pytest.mark.django_db

GENERAL_TIERS = [Tier.PRECAUTION, Tier.CONTACT_CLINIC]


def general_bullets(exercise_slugs) -> set[str]:
    categories = set(
        Exercise.objects.filter(slug__in=exercise_slugs).values_list("category", flat=True)
    )
    return set(
        safety_notes_for_programme(categories)
        .filter(tier__in=GENERAL_TIERS)
        .values_list("slug", flat=True)
    )


def test_a_five_stretch_programme_prints_at_most_10_general_bullets_and_no_strengthening_rule():
    load_catalogue()
    stretches = [
        "supine-hamstring-stretch",
        "lying-hamstring-stretch-strap",
        "wall-hamstring-stretch",
        "modified-hurdler-stretch",
        "seated-towel-stretch",
    ]

    bullets = general_bullets(stretches)

    assert len(bullets) <= 10
    assert bullets == {
        "warm-up",
        "gentle-pull",
        "good-then-sore",
        "stop-signs",
        "stop-if-faint",
        "leg-pain-new-or-spreading",
        "numbness-that-stays",
        "pain-that-persists",
    }
    assert not any(slug.startswith("pain-scale") for slug in bullets)


def test_a_strengthening_programme_prints_the_ache_score_but_no_stretching_rule():
    load_catalogue()

    bullets = general_bullets(["glute-bridge", "bird-dog", "plank"])

    assert bullets == {
        "stop-signs",
        "stop-if-faint",
        "pain-scale-low",
        "pain-scale-middle",
        "pain-scale-high",
        "pain-scale-not-for-nerves",
        "leg-pain-new-or-spreading",
        "numbness-that-stays",
        "pain-that-persists",
    }
    assert len(bullets) <= 10


def test_every_general_note_says_where_it_applies_and_red_flags_apply_everywhere():
    entries = read_catalogue(DEFAULT_CATALOGUE)["safety_notes"]
    general = [entry for entry in entries if entry["tier"] in GENERAL_TIERS]
    assert general
    assert [entry["slug"] for entry in general if "applies_to" not in entry] == []
    load_catalogue()
    stretch_notes = SafetyNote.objects.filter(applies_to="stretch", is_active=True)
    assert set(stretch_notes.values_list("slug", flat=True)) == {
        "warm-up",
        "gentle-pull",
        "good-then-sore",
    }
    assert not SafetyNote.objects.filter(
        tier__in=[Tier.URGENT, Tier.EMERGENCY], is_active=True
    ).exclude(applies_to="all")


def test_urgent_and_emergency_notes_are_short_signs_without_the_tiers_action():
    load_catalogue()
    signs = SafetyNote.objects.filter(tier__in=[Tier.URGENT, Tier.EMERGENCY, Tier.CONTACT_CLINIC])
    action = re.compile(r"emergency (department|services)|call us|contact us|same day", re.I)
    for note in signs:
        for text in [note.text, *note.variants.values_list("text", flat=True)]:
            assert not action.search(text), text
            assert len(text.split()) <= 16, text


def test_every_condition_has_a_short_name_a_pain_label_and_clinician_wording():
    load_catalogue()
    assert dict(Condition.objects.values_list("slug", "short_name")) == {
        "sciatica": "sciatica",
        "disc-injury": "disc injury",
        "high-hamstring-tendinopathy": "sore hamstring tendon",
    }
    assert dict(Condition.objects.values_list("slug", "pain_label")) == {
        "sciatica": "Leg pain",
        "disc-injury": "Back pain",
        "high-hamstring-tendinopathy": "Tendon pain",
    }
    assert not Caution.objects.filter(clinician_text="")
    contraindications = Caution.objects.filter(severity=Severity.CONTRAINDICATION)
    assert contraindications.exists()
    for caution in contraindications:
        assert caution.acknowledged_text.startswith(
            "Your physiotherapist has checked that this exercise is right for you."
        )
        assert "Stop if" in caution.acknowledged_text
        assert "Do not" not in caution.acknowledged_text


def test_bird_dog_is_8_on_each_side_and_the_wall_stretch_uses_a_doorway():
    load_catalogue()
    bird_dog = Exercise.objects.get(slug="bird-dog")
    assert dose_sentence(bird_dog.default_dose(), bird_dog.body_region.limb) == (
        "Do 8 repetitions on each side. Once a day, 5 days a week."
    )
    wall = Exercise.objects.get(slug="wall-hamstring-stretch")
    steps = " ".join(wall.steps.values_list("text", flat=True))
    assert "doorway" in steps
    assert "two walls" not in steps
    assert list(wall.equipment.values_list("slug", flat=True)) == ["doorway"]


def test_no_exercise_names_a_reviewer_nobody_was():
    load_catalogue()
    assert set(Exercise.objects.values_list("reviewed_by", "reviewed_on")) == {("", None)}
    assert {exercise.clinical_review for exercise in Exercise.objects.all()} == {
        "not yet clinically reviewed"
    }


def test_sources_state_only_what_their_articles_give():
    load_catalogue()
    sources = {
        source.key: (source.author, source.publisher, source.published)
        for source in Source.objects.all()
    }
    assert sources == {
        "back-pain-hamstring-problem": ("", "", ""),
        "tight-hamstrings-unseen-cause": ("Monica Pineider", "", "9 June"),
        "back-pain-hamstrings-hidden-link": ("", "Spine, Body & Health", "3 October 2025"),
        "sciatica-pain-relief": ("", "", ""),
        "hamstring-stretch-overrated": ("", "", ""),
        "clinical-default": ("", "", ""),
        "clinical-convention": ("", "", ""),
        "clinical-practice": ("", "", ""),
    }


def test_the_gentle_pull_note_quotes_its_source_exactly():
    load_catalogue()
    references = SafetyNote.objects.get(slug="gentle-pull").references
    assert '"a gentle, sustained pull—never a sharp, shooting, or intense pain"' in references


def test_the_catalogue_calls_its_articles_by_name_not_by_number():
    text = DEFAULT_CATALOGUE.read_text(encoding="utf-8")
    assert not re.search(r"\bseeds?\b", text, re.I)
    assert not re.search(r"\b00[0-4]\b", text)


def test_every_catalogue_text_fits_its_column():
    """SQLite stores a text longer than its column; PostgreSQL refuses the whole load."""
    load_catalogue()
    too_long = [
        (model.__name__, field.name, row.pk, len(getattr(row, field.name)))
        for model in apps.get_app_config("exercises").get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField) and field.max_length
        for row in model.objects.all()
        if len(getattr(row, field.name) or "") > field.max_length
    ]
    assert too_long == []
