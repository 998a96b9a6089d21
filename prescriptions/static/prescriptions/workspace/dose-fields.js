// Which dose fields a row shows.

// The dose fields a row tucks behind "More (n)": those its exercise does not use (its
// declaration, `used`), unless a box holds a value: nothing typed is ever hidden. An
// exercise that declares nothing shows every field.
export function tuckedDoseFields({ doseFields, used, values }) {
  if (!used || !used.length) {
    return [];
  }
  return doseFields.filter((name) => !used.includes(name) && !String(values[name] ?? "").trim());
}
