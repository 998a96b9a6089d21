// The picker over the public exercise list: its query, what it shows of an exercise, the
// hidden count, the exercise already in the programme.

// The public exercise list's query for the picker's search and filters: published
// exercises only (what can be prescribed); `conditions` (the patient's condition slugs)
// hides what any of them rules out; `cautionsFor` (the patient's condition slugs, null
// without a patient) adds each exercise's cautions for them (`patient_cautions`). Empty
// filters are left out: the list refuses a filter it cannot read.
export function exerciseListQuery({ search, filters, conditions, pageSize, cautionsFor = null }) {
  const params = new URLSearchParams();
  if (search.trim()) {
    params.set("search", search.trim());
  }
  for (const [name, value] of Object.entries(filters)) {
    if (value) {
      params.set(name, value);
    }
  }
  if (conditions.length) {
    params.set("condition_safe", conditions.join(","));
  }
  params.set("status", "published");
  if (cautionsFor !== null) {
    params.set("cautions_for_conditions", cautionsFor.join(","));
  }
  params.set("page_size", String(pageSize));
  return params.toString();
}

// What the picker shows of an exercise of the public list: the uploaded picture (it wins,
// as on the handout) else the drawn one, the filters' own words for its category, position
// and body region (`labelOf(filter, slug)`), and its worst caution for the patient with
// every caution's clinician text.
export function pickerEntry(exercise, labelOf) {
  const cautions = exercise.patient_cautions || [];
  const contraindicated = cautions.some((caution) => caution.severity === "contraindication");
  return {
    ...exercise,
    picture: exercise.image || exercise.thumbnail_url || "",
    meta: ["category", "position", "body_region"]
      .map((filter) => labelOf(filter, exercise[filter]))
      .join(" · "),
    caution: contraindicated ? "contraindication" : cautions.length ? "warning" : "",
    cautionText: cautions.map((caution) => caution.text).join(" "),
  };
}

// How many matches "Safe for this patient" hides: every match less the safe ones.
export function hiddenAsUnsafe(everyMatch, safeMatches) {
  return Math.max(0, everyMatch - safeMatches);
}

// The index of the row that already has this exercise, or -1.
export function rowWithExercise(exerciseIds, exerciseId) {
  return exerciseIds.indexOf(String(exerciseId));
}
