// A programme row's values: what the check is sent, what choosing another exercise leaves of
// the row, and when the row asks for an acknowledgement.

// A row as the check's item. Each dose box goes exactly as typed: the server alone decides
// what a box means (one rule, `parse_dose_entry`), so text it cannot read ("5e", "8-12",
// "1,5") comes back as an error at its field, never as a blank; an empty box is "" ("not
// used", where the exercise allows it). An unset side is "not used" too (null), as the
// admin's form reads it. `values` maps a field's name to its box's text.
export function checkItem({ values, doseFields, acknowledged }) {
  const item = { exercise: values.exercise ?? "" };
  for (const name of doseFields) {
    item[name] = values[name] ?? "";
  }
  item.side = item.side || null;
  item.contraindication_reason = values.contraindication_reason ?? "";
  item.acknowledge_contraindication = Boolean(acknowledged);
  return item;
}

// A row's dose after another exercise is chosen: every dose box takes the new exercise's
// default ("" where it has none), so nothing of the old exercise's dose stays, except a box
// typed since the choice (the default dose can be fetched after the therapist typed), listed
// in `kept`.
export function doseAfterSwitch({ doseFields, defaults, typedSinceChoice, values }) {
  const dose = {};
  const kept = [];
  for (const name of doseFields) {
    if (typedSinceChoice.has(name)) {
      dose[name] = values[name] ?? "";
      kept.push(name);
      continue;
    }
    const value = defaults[name];
    dose[name] = value === null || value === undefined ? "" : String(value);
  }
  return { dose, kept };
}

// A row's acknowledgement once another exercise is chosen: it belonged to the old exercise,
// so it and its reason are cleared at once (whether or not the new exercise's dose can be
// fetched); `cleared` says whether there was one, so the row can say so.
export function acknowledgementAfterSwitch({ acknowledged, reason }) {
  return { acknowledged: false, reason: "", cleared: Boolean(acknowledged || reason) };
}

// Whether a row's findings (`rowFindings`) ask for an acknowledgement: a contraindication
// warned of, or refused for want of one (or of its reason).
export function needsAcknowledgement(findings) {
  return (
    findings.warnings.some((warning) => warning.severity === "contraindication") ||
    findings.errors.some(
      (error) => error.code === "contraindicated" || error.field === "acknowledge_contraindication"
    )
  );
}
