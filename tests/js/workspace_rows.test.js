// A programme row's values, without a page or a server: what a dose box sends, what choosing
// another exercise leaves of a row, when a row asks for an acknowledgement.
import assert from "node:assert/strict";
import test from "node:test";

import { rowFindings } from "../../prescriptions/static/prescriptions/workspace/answers.js";
import {
  acknowledgementAfterSwitch,
  checkItem,
  doseAfterSwitch,
  needsAcknowledgement,
} from "../../prescriptions/static/prescriptions/workspace/rows.js";

const DOSE_FIELDS = ["hold_seconds", "reps", "sets", "times_per_day", "days_per_week", "side"];

const item = (values, acknowledged = false) =>
  checkItem({ values: { exercise: "7", ...values }, doseFields: DOSE_FIELDS, acknowledged });

test("a dose box goes to the check exactly as typed: mistypes are never sent as blanks", () => {
  for (const typed of ["5e", "8-12", "1,5", "2.5", "eight", " 8 ", "0", "400"]) {
    assert.equal(item({ days_per_week: typed }).days_per_week, typed);
    assert.equal(item({ reps: typed }).reps, typed);
  }
});

test("an empty box is sent empty (not used, where the exercise allows it), never dropped", () => {
  const sent = item({ reps: "10" });
  for (const name of ["hold_seconds", "sets", "times_per_day", "days_per_week"]) {
    assert.equal(sent[name], "");
  }
  assert.equal(sent.reps, "10");
  assert.equal(sent.side, null); // an unset side is "not used", as the admin's form reads it
  assert.equal(item({ side: "left" }).side, "left");
});

test("the row's acknowledgement and reason go with it", () => {
  const sent = item({ contraindication_reason: "Pain-free in clinic today." }, true);
  assert.equal(sent.acknowledge_contraindication, true);
  assert.equal(sent.contraindication_reason, "Pain-free in clinic today.");
  assert.equal(item({}).acknowledge_contraindication, false);
  assert.equal(item({}).contraindication_reason, "");
});

test("what the server cannot read, or is out of range, comes back as an error naming the field", () => {
  // The check's answer for rows sent as typed: "5e" days a week, "8-12" repetitions, 400 sets.
  const answer = {
    errors: [
      {
        attr: "items.0.days_per_week",
        code: "invalid",
        detail: "Days a week: enter a whole number from 1 to 7.",
      },
      { attr: "items.0.reps", code: "invalid", detail: "Reps: enter a whole number from 1 to 100." },
      { attr: "items.1.sets", code: "invalid", detail: "Sets: enter a whole number from 1 to 10." },
    ],
    warnings: [],
  };
  const [first, second] = rowFindings(answer, [0, 1], 2);
  assert.deepEqual(
    first.errors.map((error) => [error.field, error.message]),
    [
      ["days_per_week", "Days a week: enter a whole number from 1 to 7."],
      ["reps", "Reps: enter a whole number from 1 to 100."],
    ]
  );
  assert.deepEqual(
    second.errors.map((error) => [error.field, error.message]),
    [["sets", "Sets: enter a whole number from 1 to 10."]]
  );
});

const PLANK = { hold_seconds: 20, reps: 3, sets: null, times_per_day: 1, days_per_week: 5, side: null };

test("switching an exercise: every dose box takes the new defaults, nothing of the old dose stays", () => {
  const oldRow = { hold_seconds: "", reps: "12", sets: "3", times_per_day: "2", days_per_week: "7", side: "left" };
  const { dose, kept } = doseAfterSwitch({
    doseFields: DOSE_FIELDS,
    defaults: PLANK,
    typedSinceChoice: new Set(),
    values: oldRow,
  });
  assert.deepEqual(dose, {
    hold_seconds: "20",
    reps: "3",
    sets: "", // the plank has no sets: the old row's 3 sets are gone
    times_per_day: "1",
    days_per_week: "5",
    side: "", // nor a side
  });
  assert.deepEqual(kept, []);
});

test("switching keeps only a box typed since the choice (the defaults can arrive after it)", () => {
  const { dose, kept } = doseAfterSwitch({
    doseFields: DOSE_FIELDS,
    defaults: PLANK,
    typedSinceChoice: new Set(["days_per_week"]),
    values: { hold_seconds: "", reps: "12", sets: "3", times_per_day: "", days_per_week: "4", side: "" },
  });
  assert.equal(dose.days_per_week, "4");
  assert.equal(dose.sets, "");
  assert.equal(dose.reps, "3");
  assert.deepEqual(kept, ["days_per_week"]);
});

test("switching a row with a field its new exercise lacks takes nothing from a missing default", () => {
  const { dose } = doseAfterSwitch({
    doseFields: DOSE_FIELDS,
    defaults: { reps: 10 },
    typedSinceChoice: new Set(),
    values: { hold_seconds: "30", reps: "", sets: "", times_per_day: "", days_per_week: "", side: "" },
  });
  assert.equal(dose.hold_seconds, "");
  assert.equal(dose.reps, "10");
});

test("switching an exercise clears the acknowledgement and its reason, and says so", () => {
  assert.deepEqual(
    acknowledgementAfterSwitch({ acknowledged: true, reason: "Pain-free in clinic today." }),
    { acknowledged: false, reason: "", cleared: true }
  );
  // A reason typed without the box ticked was for the old exercise too.
  assert.equal(acknowledgementAfterSwitch({ acknowledged: false, reason: "Agreed." }).cleared, true);
  assert.deepEqual(acknowledgementAfterSwitch({ acknowledged: false, reason: "" }), {
    acknowledged: false,
    reason: "",
    cleared: false,
  });
});

test("a row asks for an acknowledgement for a contraindication, and only then", () => {
  const none = { warnings: [], errors: [] };
  assert.equal(needsAcknowledgement(none), false);
  assert.equal(
    needsAcknowledgement({ ...none, warnings: [{ severity: "warning", message: "Take care." }] }),
    false
  );
  assert.equal(
    needsAcknowledgement({ ...none, warnings: [{ severity: "contraindication", message: "No." }] }),
    true
  );
  assert.equal(
    needsAcknowledgement({ ...none, errors: [{ field: "exercise", code: "contraindicated" }] }),
    true
  );
  // The reason refused (too short) keeps the acknowledgement open.
  assert.equal(
    needsAcknowledgement({
      ...none,
      errors: [{ field: "acknowledge_contraindication", code: "invalid", message: "Too short." }],
    }),
    true
  );
  assert.equal(needsAcknowledgement({ ...none, errors: [{ field: "reps", code: "invalid" }] }), false);
});
