// Pre-fills an exercise row's empty dose fields with the catalogue's default dose when the
// therapist picks the exercise; the therapist can then change any of them.
"use strict";
(function ($) {
  const DOSE_FIELDS = [
    "hold_seconds", "reps", "sets", "rest_seconds", "times_per_day",
    "days_per_week", "side", "duration_seconds",
  ];
  $(document).on("change", "select[name^='items-'][name$='-exercise']", function () {
    const select = this;
    const exerciseId = select.value;
    if (!exerciseId) {
      return;
    }
    const prefix = select.name.replace(/-exercise$/, "-");
    fetch(`/api/v1/exercises/${encodeURIComponent(exerciseId)}/`, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then((response) => (response.ok ? response.json() : null))
      .then((exercise) => {
        if (!exercise) {
          return;
        }
        for (const name of DOSE_FIELDS) {
          const input = document.querySelector(`[name='${prefix}${name}']`);
          const value = exercise.default_dose[name];
          if (input && input.value === "" && value !== null && value !== undefined) {
            input.value = value;
          }
        }
      });
  });
})(django.jQuery);
