"""Admin forms: an exercise's dose declaration as ticks; an exercise's or self-test's pictures,
every angle as a number field."""

import json

from django import forms
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clinic.admin_versions import OpenedVersionForm
from exercises.dose import DOSE_FIELD_NAMES, DOSE_LABELS
from exercises.illustrations.body import JOINT_RANGES, LIMB_JOINTS, ORIENTATION_RANGE
from exercises.illustrations.frames import (
    EXTRA_VIEWS,
    PROP_KINDS,
    STRAP_PLACES,
    SURFACES,
    FrameError,
)
from exercises.illustrations.scene import drawable_frame
from exercises.illustrations.svg import svg_data_uri
from exercises.models import Exercise, Illustration


def _props_text(props: list) -> str:
    return ", ".join(
        prop
        if isinstance(prop, str)
        else ":".join(filter(None, (prop["kind"], prop.get("side"), prop.get("at"))))
        for prop in props
    )


def _contacts_text(contacts: list) -> str:
    return ", ".join(
        ":".join(filter(None, (contact["part"], contact["surface"], contact.get("where"))))
        for contact in contacts
    )


def _limits_text(limits: dict) -> str:
    return ", ".join(
        f"{key}:{value:g}" if isinstance(value, float | int) else f"{key}:{value}"
        for key, value in limits.items()
    )


def _limits(text: str) -> dict:
    """`max_lean:30, hands_short_of:far_foot`; unreadable numbers are passed on to be named."""
    limits = {}
    for key, *values in _split(text):
        value = values[0] if values else ""
        limits[key] = _number(value) if key == "max_lean" else value
    return limits


def _split(text: str) -> list[list[str]]:
    return [
        [piece.strip() for piece in item.split(":")] for item in text.split(",") if item.strip()
    ]


def _number(text: str):
    """Blank is 0; anything else unreadable is passed on, for the validator to name."""
    if not text.strip():
        return 0
    try:
        return float(text)
    except ValueError:
        return text


class FramesWidget(forms.Widget):
    """Each frame as a block: name, alt text, orientation, a near/far table of joint angles
    (number fields with their allowed range), props, contacts and a live preview. One empty
    block is offered for a new frame; a block left without a name is dropped."""

    template_name = "exercises/widgets/illustration_frames.html"

    class Media:
        js = ["exercises/illustration_preview.js"]
        css = {"all": ["exercises/illustration_admin.css"]}

    def _block(self, name: str, index: int, frame: dict) -> dict:
        pose = frame.get("pose", {})
        field = f"{name}-{index}"
        limbs = [
            {
                "label": joint,
                "range": JOINT_RANGES[joint],
                "sides": [
                    {
                        "joint": f"{side}_{joint}",
                        "name": f"{field}-pose-{side}_{joint}",
                        "value": pose.get(f"{side}_{joint}", 0),
                    }
                    for side in ("near", "far")
                ],
            }
            for joint in LIMB_JOINTS
        ]
        spine = [
            {
                "label": joint,
                "range": JOINT_RANGES[joint],
                "name": f"{field}-pose-{joint}",
                "value": pose.get(joint, 0),
            }
            for joint in ("neck", "trunk", "lean")
        ]
        preview, problem, invalid, views = "", "", "", []
        if frame.get("name"):
            try:
                drawn = drawable_frame(frame)
                preview = svg_data_uri(drawn)
                views = [
                    {"view": view, "preview": svg_data_uri(drawn, view)} for view in drawn.views
                ]
            except FrameError as error:
                problem = f"{frame['name']}: {error.message}"
                invalid = error.path
        return {
            "field": field,
            "name": frame.get("name", ""),
            "alt_text": frame.get("alt_text", ""),
            "orientation": frame.get("orientation", 0),
            "props": _props_text(frame.get("props", [])),
            "contacts": _contacts_text(frame.get("contacts", [])),
            "limits": _limits_text(frame.get("limits", {})),
            "views": ", ".join(frame.get("views", [])),
            "option": frame.get("option", ""),
            "view_previews": views,
            "limbs": limbs,
            "spine": spine,
            "preview": preview,
            "problem": problem,
            # The field at fault, e.g. "pose.near_knee" or "contacts": only it turns red.
            "invalid": invalid.split(".")[1]
            if invalid.startswith("pose.")
            else invalid.split(".")[0],
        }

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        frames = value if isinstance(value, list) else json.loads(value or "[]")
        blocks = [self._block(name, index, frame) for index, frame in enumerate([*frames, {}])]
        context["widget"].update(
            {
                "blocks": blocks,
                "count": len(blocks),
                "orientation_range": ORIENTATION_RANGE,
                "preview_url": reverse("admin:exercises_illustration_preview"),
                "prop_kinds": ", ".join(PROP_KINDS),
                "extra_views": ", ".join(EXTRA_VIEWS),
                "surfaces": ", ".join(SURFACES),
            }
        )
        return context

    def value_from_datadict(self, data, files, name):
        try:
            count = min(int(data.get(f"{name}-count", 0)), 10)
        except ValueError:
            count = 0
        frames = []
        for index in range(count):
            field = f"{name}-{index}"
            if not data.get(f"{field}-name", "").strip():
                continue
            pose = {}
            for joint_field, text in data.items():
                if joint_field.startswith(f"{field}-pose-"):
                    angle = _number(text)
                    if angle != 0:
                        pose[joint_field.removeprefix(f"{field}-pose-")] = angle
            frames.append(
                {
                    "name": data.get(f"{field}-name", "").strip(),
                    "alt_text": data.get(f"{field}-alt_text", "").strip(),
                    "orientation": _number(data.get(f"{field}-orientation", "")),
                    "pose": pose,
                    "props": [
                        # The second word is a strap's place on the foot or a prop's side.
                        {
                            "kind": kind,
                            **(
                                {"at" if side[0] in STRAP_PLACES else "side": side[0]}
                                if side
                                else {}
                            ),
                        }
                        for kind, *side in _split(data.get(f"{field}-props", ""))
                    ],
                    "contacts": [
                        {
                            "part": part,
                            "surface": rest[0] if rest else "",
                            **({"where": rest[1]} if len(rest) > 1 else {}),
                        }
                        for part, *rest in _split(data.get(f"{field}-contacts", ""))
                    ],
                    **(
                        {"limits": _limits(data.get(f"{field}-limits", ""))}
                        if data.get(f"{field}-limits", "").strip()
                        else {}
                    ),
                    **(
                        {"option": option}
                        if (option := data.get(f"{field}-option", "").strip())
                        else {}
                    ),
                    **(
                        {"views": [view for view, *_rest in views]}
                        if (views := _split(data.get(f"{field}-views", "")))
                        else {}
                    ),
                }
            )
        return frames


class FramesField(forms.Field):
    widget = FramesWidget

    def prepare_value(self, value):
        return value if isinstance(value, list) else json.loads(value or "[]")

    def has_changed(self, initial, data):
        # An untouched empty block is no change: no empty pictures for every saved exercise.
        return self.prepare_value(initial) != (data or [])


class IllustrationForm(forms.ModelForm):
    frames = FramesField(
        required=False,
        label=_("Frames"),
        help_text=_(
            "Angles in degrees, flexion positive. Orientation: 0 upright, 90 lying face up, "
            "-90 lying face down. Props and contacts are comma-separated, e.g. “mat, wall:back” "
            "and “pelvis:mat, near_hand:near_thigh:back”; limits set what the words allow, e.g. "
            "“max_lean:30, hands_short_of:near_foot, straight_knee:near”. Views: where the side view hides what "
            "matters, the frame is also drawn from “above” or the “front”."
        ),
    )

    class Meta:
        model = Illustration
        fields = ["frames"]


def _model_field(name: str) -> models.Field:
    field = Exercise._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{name} is a relation, not a field of Exercise")
    return field


def _dose_fields_choice(model_field: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=[(name, DOSE_LABELS[name]) for name in DOSE_FIELD_NAMES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_model_field(model_field).verbose_name.capitalize(),
        help_text=_model_field(model_field).help_text,
    )


class ExerciseForm(OpenedVersionForm):
    """The dose declaration as ticks, one per dose field, rather than a JSON list to type."""

    required_dose_fields = _dose_fields_choice("required_dose_fields")
    used_dose_fields = _dose_fields_choice("used_dose_fields")

    class Meta:
        model = Exercise
        fields = ["required_dose_fields", "used_dose_fields"]
