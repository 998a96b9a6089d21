// Unsaved changes: whether the page holds any, and what leaving by another form would lose.

// The form as loaded and as it is now (serialised); a page shown again after a refused save
// holds changes that were never saved, whatever the comparison says.
export function hasUnsavedChanges({ loadedState, currentState, shownAfterRefusedSave }) {
  if (shownAfterRefusedSave) {
    return true;
  }
  return loadedState !== null && currentState !== loadedState;
}

// Why leaving by another form of the page needs a question, or "" when it needs none.
// `form` is "use-template", "save-as-template" or "other"; `picked` the rows with an exercise.
export function leaveReason({ form, picked, unsaved }) {
  if (form === "use-template" && picked > 0) {
    return "replaces-picked";
  }
  if (!unsaved) {
    return "";
  }
  return form === "save-as-template" ? "saves-last-saved" : "unsaved";
}
