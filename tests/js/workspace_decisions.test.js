// The workspace script's decisions, without a page or a server: `node --test tests/js`.
import assert from "node:assert/strict";
import test from "node:test";

import * as answers from "../../prescriptions/static/prescriptions/workspace/answers.js";
import * as doseFields from "../../prescriptions/static/prescriptions/workspace/dose-fields.js";
import * as picker from "../../prescriptions/static/prescriptions/workspace/picker.js";
import * as unsaved from "../../prescriptions/static/prescriptions/workspace/unsaved.js";

const decide = { ...answers, ...doseFields, ...picker, ...unsaved };

const LOGIN = "/admin/login/";
const page = "http://127.0.0.1:8000/admin/prescriptions/prescription/check/";

test("an answer from the sign-in page, or 401/403, means the session has ended", () => {
  const signIn = { status: 200, redirected: true, url: `http://127.0.0.1:8000${LOGIN}?next=/x` };
  assert.equal(decide.answerKind(signIn, LOGIN), "session-ended");
  assert.equal(decide.answerKind({ status: 401, redirected: false, url: page }, LOGIN), "session-ended");
  assert.equal(decide.answerKind({ status: 403, redirected: false, url: page }, LOGIN), "session-ended");
});

test("a server error or a refusal is a failure to tell, never a quiet success", () => {
  for (const status of [400, 404, 429, 500, 502, 503]) {
    assert.equal(decide.answerKind({ status, redirected: false, url: page }, LOGIN), "failed");
  }
  assert.equal(decide.answerKind({ status: 200, redirected: false, url: page }, LOGIN), "ok");
  const elsewhere = { status: 200, redirected: true, url: "http://127.0.0.1:8000/admin/" };
  assert.equal(decide.answerKind(elsewhere, LOGIN), "ok");
});

test("unsaved changes: the form differs from the page as loaded, or a refused save is shown", () => {
  const loaded = "notes=&items-0-reps=8";
  assert.equal(
    decide.hasUnsavedChanges({ loadedState: loaded, currentState: loaded, shownAfterRefusedSave: false }),
    false
  );
  assert.equal(
    decide.hasUnsavedChanges({
      loadedState: loaded,
      currentState: "notes=&items-0-reps=5e",
      shownAfterRefusedSave: false,
    }),
    true
  );
  assert.equal(
    decide.hasUnsavedChanges({ loadedState: loaded, currentState: loaded, shownAfterRefusedSave: true }),
    true
  );
  // Before the page has finished loading, nothing counts as a change yet.
  assert.equal(
    decide.hasUnsavedChanges({ loadedState: null, currentState: loaded, shownAfterRefusedSave: false }),
    false
  );
});

test("leaving by another form asks what it would lose", () => {
  assert.equal(decide.leaveReason({ form: "use-template", picked: 2, unsaved: true }), "replaces-picked");
  assert.equal(decide.leaveReason({ form: "use-template", picked: 0, unsaved: true }), "unsaved");
  assert.equal(decide.leaveReason({ form: "use-template", picked: 0, unsaved: false }), "");
  assert.equal(
    decide.leaveReason({ form: "save-as-template", picked: 3, unsaved: true }),
    "saves-last-saved"
  );
  assert.equal(decide.leaveReason({ form: "save-as-template", picked: 3, unsaved: false }), "");
  assert.equal(decide.leaveReason({ form: "other", picked: 1, unsaved: true }), "unsaved");
});

test("an exercise already in the programme is found by its row", () => {
  assert.equal(decide.rowWithExercise(["12", "", "7"], 7), 2);
  assert.equal(decide.rowWithExercise(["12", "", "7"], "12"), 0);
  assert.equal(decide.rowWithExercise(["12", "", "7"], 70), -1);
});

test("the CSRF token is the cookie's (new after signing in again), else the form's", () => {
  const cookies = "theme=dark; csrftoken=AbC123xyz; sessionid=s";
  assert.equal(decide.currentCsrfToken(cookies, "csrftoken", "old"), "AbC123xyz");
  assert.equal(decide.currentCsrfToken("theme=dark", "csrftoken", "old"), "old");
  assert.equal(decide.currentCsrfToken("xcsrftoken=no", "csrftoken", "old"), "old");
});

test("the check's answer lands on the rows it is about, rows without an exercise skipped", () => {
  const answer = {
    errors: [
      { attr: "items.0.reps", code: "invalid", detail: "Reps: enter a whole number from 1 to 100." },
      { attr: "items.1.exercise", code: "contraindicated", detail: "“Seated fold” is contraindicated." },
      { attr: "review_date", code: "invalid", detail: "The review date is before the start date." },
    ],
    warnings: [
      { code: "caution", severity: "warning", item: 1, message: "Take care." },
      { code: "unprintable_characters", severity: "warning", item: null, message: "Goal." },
    ],
  };
  // Row 1 of the screen has no exercise yet: items 0 and 1 are rows 0 and 2.
  const rows = decide.rowFindings(answer, [0, 2], 3);
  assert.deepEqual(rows[0].errors, [
    { field: "reps", message: "Reps: enter a whole number from 1 to 100.", code: "invalid" },
  ]);
  assert.deepEqual(rows[1], { warnings: [], errors: [] });
  assert.deepEqual(
    rows[2].errors.map((error) => error.field),
    ["exercise"]
  );
  assert.deepEqual(
    rows[2].warnings.map((warning) => warning.message),
    ["Take care."]
  );
});

test("the picker asks the public list with only the filters set, several conditions at once", () => {
  const query = decide.exerciseListQuery({
    search: " bird dog ",
    filters: { category: "strengthening", position: "", equipment: "" },
    conditions: ["sciatica", "knee-replacement"],
    pageSize: 1,
  });
  assert.equal(
    query,
    "search=bird+dog&category=strengthening&condition_safe=sciatica%2Cknee-replacement" +
      "&status=published&page_size=1"
  );
  assert.equal(
    decide.exerciseListQuery({ search: "", filters: {}, conditions: [], pageSize: 1 }),
    "status=published&page_size=1"
  );
});

test("the picker asks for the cautions of the patient's conditions only with a patient", () => {
  const query = (cautionsFor) =>
    decide.exerciseListQuery({ search: "", filters: {}, conditions: [], pageSize: 40, cautionsFor });
  assert.equal(
    query(["sciatica", "disc-injury"]),
    "status=published&cautions_for_conditions=sciatica%2Cdisc-injury&page_size=40"
  );
  assert.equal(query([]), "status=published&cautions_for_conditions=&page_size=40");
  assert.equal(query(null), "status=published&page_size=40");
});

const LABELS = {
  category: { stretch: "Stretch" },
  position: { "lying-on-back": "Lying on your back" },
  body_region: { hamstrings: "Hamstrings" },
};
const labelOf = (filter, slug) => LABELS[filter][slug];
const listed = {
  id: 3,
  name: "Slump stretch",
  category: "stretch",
  position: "lying-on-back",
  body_region: "hamstrings",
  image: null,
  thumbnail_url: "/api/v1/exercises/3/illustrations/start.abc.svg",
  patient_cautions: [],
};

test("a listed exercise reads in the picker in the filters' words, with its drawn picture", () => {
  const entry = decide.pickerEntry(listed, labelOf);
  assert.equal(entry.meta, "Stretch · Lying on your back · Hamstrings");
  assert.equal(entry.picture, "/api/v1/exercises/3/illustrations/start.abc.svg");
  assert.equal(entry.caution, "");
  assert.equal(entry.cautionText, "");
  const photographed = decide.pickerEntry({ ...listed, image: "/media/slump.png" }, labelOf);
  assert.equal(photographed.picture, "/media/slump.png");
});

test("the picker marks an exercise by its worst caution for the patient, saying every one", () => {
  const warning = { condition: "knee", severity: "warning", text: "Care with the knee." };
  const contraindication = {
    condition: "sciatica",
    severity: "contraindication",
    text: "Contraindicated for sciatica.",
  };
  const cautioned = (cautions) =>
    decide.pickerEntry({ ...listed, patient_cautions: cautions }, labelOf);
  assert.equal(cautioned([warning]).caution, "warning");
  const both = cautioned([warning, contraindication]);
  assert.equal(both.caution, "contraindication");
  assert.equal(both.cautionText, "Care with the knee. Contraindicated for sciatica.");
  // A list asked without a patient says nothing about cautions.
  assert.equal(cautioned(null).caution, "");
});

test("the picker says how many exercises the patient's conditions hide, never fewer than none", () => {
  assert.equal(decide.hiddenAsUnsafe(12, 11), 1);
  assert.equal(decide.hiddenAsUnsafe(12, 12), 0);
  // The catalogue changed between the two answers: nothing to say rather than a negative.
  assert.equal(decide.hiddenAsUnsafe(11, 12), 0);
});

test("a row tucks away the dose fields its exercise does not use, never one holding a value", () => {
  const doseFields = ["hold_seconds", "reps", "sets", "rest_seconds", "side"];
  const values = { hold_seconds: "30", reps: "3", sets: "", rest_seconds: " 45 ", side: "" };
  assert.deepEqual(
    decide.tuckedDoseFields({ doseFields, used: ["hold_seconds", "reps"], values }),
    ["sets", "side"]
  );
  // An exercise without a declaration shows every field.
  assert.deepEqual(decide.tuckedDoseFields({ doseFields, used: [], values }), []);
  assert.deepEqual(decide.tuckedDoseFields({ doseFields, used: undefined, values }), []);
});
