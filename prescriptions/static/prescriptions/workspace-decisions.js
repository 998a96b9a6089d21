// The workspace script's decisions that need no page: what a server answer means, whether
// there are unsaved changes, what leaving by another form would lose, a duplicate exercise,
// the current CSRF token. Loaded before workspace.js; unit-tested with `node --test tests/js`.
"use strict";
(function (exports) {
  // A request of the page's script, answered: "ok", "session-ended" (the admin sends a request
  // without a session to its sign-in page, which fetch follows, or answers 401/403), or
  // "failed" (anything else: the page must say so, never go quiet).
  function answerKind(answer, loginPath) {
    const toSignIn = Boolean(answer.redirected) && new URL(answer.url).pathname === loginPath;
    if (toSignIn || answer.status === 401 || answer.status === 403) {
      return "session-ended";
    }
    return answer.status >= 200 && answer.status < 300 ? "ok" : "failed";
  }

  // The form as loaded and as it is now (serialised); a page shown again after a refused save
  // holds changes that were never saved, whatever the comparison says.
  function hasUnsavedChanges({ loadedState, currentState, shownAfterRefusedSave }) {
    if (shownAfterRefusedSave) {
      return true;
    }
    return loadedState !== null && currentState !== loadedState;
  }

  // Why leaving by another form of the page needs a question, or "" when it needs none.
  // `form` is "use-template", "save-as-template" or "other"; `picked` the rows with an exercise.
  function leaveReason({ form, picked, unsaved }) {
    if (form === "use-template" && picked > 0) {
      return "replaces-picked";
    }
    if (!unsaved) {
      return "";
    }
    return form === "save-as-template" ? "saves-last-saved" : "unsaved";
  }

  // The index of the row that already has this exercise, or -1.
  function rowWithExercise(exerciseIds, exerciseId) {
    return exerciseIds.indexOf(String(exerciseId));
  }

  // The CSRF token from the cookie (new after signing in again), else the form's own one.
  function currentCsrfToken(cookieString, cookieName, fallback) {
    const prefix = `${cookieName}=`;
    const cookie = cookieString.split("; ").find((part) => part.startsWith(prefix));
    return cookie ? decodeURIComponent(cookie.slice(prefix.length)) : fallback;
  }

  // The public check's answer (`POST /api/v1/prescriptions/check/`: errors by `attr`
  // "items.N.field", warnings by `item` N) as each row's findings, in screen order.
  // `sentRows[N]` is the row of item N: rows without an exercise are not sent.
  function rowFindings(answer, sentRows, rowCount) {
    const rows = Array.from({ length: rowCount }, () => ({ warnings: [], errors: [] }));
    for (const error of answer.errors) {
      const [scope, item, ...field] = error.attr.split(".");
      const row = scope === "items" ? sentRows[Number(item)] : undefined;
      if (row !== undefined) {
        rows[row].errors.push({ field: field.join("."), message: error.detail, code: error.code });
      }
    }
    for (const warning of answer.warnings) {
      const row = warning.item === null ? undefined : sentRows[warning.item];
      if (row !== undefined) {
        rows[row].warnings.push(warning);
      }
    }
    return rows;
  }

  // The public exercise list's query for the picker's search and filters: published
  // exercises only (what can be prescribed); `conditions` (the patient's condition slugs)
  // hides what any of them rules out; `patient` adds each exercise's cautions for that
  // patient (`patient_cautions`). Empty values are left out: the list refuses a filter it
  // cannot read.
  function exerciseListQuery({ search, filters, conditions, pageSize, patient = null }) {
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
    if (patient) {
      params.set("cautions_for", String(patient));
    }
    params.set("page_size", String(pageSize));
    return params.toString();
  }

  // What the picker shows of an exercise of the public list: the uploaded picture (it wins,
  // as on the handout) else the drawn one, the filters' own words for its category, position
  // and body region (`labelOf(filter, slug)`), and its worst caution for the patient with
  // every caution's clinician text.
  function pickerEntry(exercise, labelOf) {
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
  function hiddenAsUnsafe(everyMatch, safeMatches) {
    return Math.max(0, everyMatch - safeMatches);
  }

  // The dose fields a row tucks behind "More (n)": those its exercise does not use (its
  // declaration, `used`), unless a box holds a value: nothing typed is ever hidden. An
  // exercise that declares nothing shows every field.
  function tuckedDoseFields({ doseFields, used, values }) {
    if (!used || !used.length) {
      return [];
    }
    return doseFields.filter((name) => !used.includes(name) && !String(values[name] ?? "").trim());
  }

  Object.assign(exports, {
    answerKind,
    tuckedDoseFields,
    exerciseListQuery,
    pickerEntry,
    hiddenAsUnsafe,
    rowFindings,
    hasUnsavedChanges,
    leaveReason,
    rowWithExercise,
    currentCsrfToken,
  });
})(typeof module === "object" && module.exports ? module.exports : (window.workspaceDecisions = {}));
