// The prescribing workspace: the programme rows (order, dose, findings) and the picker.
// Configuration (the dose fields, the URLs, the patient) comes from Python via json_script.
// An ES module (no bundler): its decisions that need no page are the modules under
// workspace/, unit-tested with `node --test tests/js`.
import * as answers from "./workspace/answers.js";
import * as doseFields from "./workspace/dose-fields.js";
import * as pickerDecisions from "./workspace/picker.js";
import * as rowDecisions from "./workspace/rows.js";
import * as unsaved from "./workspace/unsaved.js";

const decide = { ...answers, ...doseFields, ...pickerDecisions, ...rowDecisions, ...unsaved };

django.jQuery(function ($) {
  // Runs once the page is parsed: the script is loaded in <head>, before the rows exist.
  const configElement = document.getElementById("workspace-config");
  const programme = document.querySelector("section.programme");
  if (!configElement || !programme) {
    return;
  }
  const config = JSON.parse(configElement.textContent);
  const rowsList = programme.querySelector(".programme-rows");
  const prefix = programme.dataset.prefix;
  const form = programme.closest("form");
  const totalForms = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const emptyRow = document.getElementById(`${prefix}-empty`);
  const formToken = form ? form.querySelector("[name=csrfmiddlewaretoken]") : null;
  const { gettext, interpolate } = window; // from the admin's JavaScript catalogue (jsi18n)
  const knownExercises = new Map(); // exercise id -> exercise of the list, with its default dose
  const PICKER_PAGE_SIZE = 40; // the best matches; a search narrows the rest
  let pendingLookups = 0; // default doses being fetched: saving waits for them
  let checkTimer = null;
  let checkSequence = 0;

  // --- answers from the server: a session that ended, a request that failed ---------------

  // After signing in again (in another tab) the CSRF cookie is new: read it at each request
  // and before each save, so what is on screen can still be saved. The form's own token
  // serves when the cookie cannot be read.
  function csrfToken() {
    const fallback = formToken ? formToken.value : "";
    return decide.currentCsrfToken(document.cookie, config.csrfCookieName, fallback);
  }

  const sessionBanner = document.querySelector(".workspace-session-ended");
  const checkFailed = document.querySelector(".workspace-check-failed");
  const otherUserBanner = document.querySelector(".workspace-other-user");
  let sessionEnded = false;
  let otherUser = false; // signed in again, as someone else than the user who opened the page

  function setOtherUser(other) {
    otherUser = other;
    if (otherUserBanner) {
      otherUserBanner.hidden = !other;
    }
  }

  const onSessionBack = []; // what runs again once the session is back (the picker's search)

  function setSessionEnded(ended) {
    const back = sessionEnded && !ended;
    sessionEnded = ended;
    if (sessionBanner) {
      sessionBanner.hidden = !ended;
    }
    if (back) {
      onSessionBack.forEach((run) => run());
    }
  }

  // A session that ended leaves the page as it is and says so; a failure is told by the caller.
  function readAnswer(response) {
    const kind = decide.answerKind(response, config.loginUrl);
    if (kind === "session-ended") {
      setSessionEnded(true);
      return Promise.reject(new Error("session ended"));
    }
    if (kind === "failed") {
      return Promise.reject(new Error(`HTTP ${response.status}`));
    }
    setSessionEnded(false);
    return response.json();
  }

  function getJson(url) {
    return fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(readAnswer);
  }

  // The public API's check of the rows on screen (the patient's clinic only; no patient:
  // a template's rows, checked against no conditions).
  function postCheck(items) {
    return fetch(config.checkUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken(),
      },
      body: JSON.stringify({ patient: config.patient, items }),
    }).then(readAnswer);
  }

  // Who is signed in now, so that a page opened by someone else is not saved under the name
  // of whoever signed in after its session ended.
  function confirmSameUser() {
    return getJson(config.meUrl).then((data) => {
      setOtherUser(data.user.id !== config.user);
      return otherUser ? Promise.reject(new Error("another user")) : data;
    });
  }

  // --- rows -----------------------------------------------------------------------------

  const fieldName = (input) => input.name.slice(input.name.lastIndexOf("-") + 1);
  const fieldOf = (row, name) => row.querySelector(`[name^='${prefix}-'][name$='-${name}']`);
  const isRemoved = (row) => {
    const remove = fieldOf(row, "DELETE");
    return Boolean(remove && remove.checked);
  };
  // The text of the row's boxes by field name ("" for a box the row does not have).
  const rowValues = (row, names) =>
    Object.fromEntries(names.map((name) => [name, fieldOf(row, name)?.value ?? ""]));
  const liveRows = () =>
    [...rowsList.querySelectorAll(":scope > .programme-row")].filter((row) => !isRemoved(row));

  function renumber() {
    liveRows().forEach((row, index) => {
      const order = fieldOf(row, "order");
      if (order) {
        order.value = String(index);
      }
      row.querySelector(".row-number").textContent = `${index + 1}.`;
    });
    programme.classList.toggle("is-empty", liveRows().length === 0);
    markPicked();
  }

  // The picker marks the exercises already in the programme (as the rows are now).
  function markPicked() {
    const picked = liveRows().map((row) => fieldOf(row, "exercise")?.value || "");
    for (const entry of document.querySelectorAll(".picker-entry[data-exercise]")) {
      const inProgramme = decide.rowWithExercise(picked, entry.dataset.exercise) >= 0;
      entry.classList.toggle("is-picked", inProgramme);
      entry.querySelector(".picker-picked").hidden = !inProgramme;
    }
  }

  function addRow() {
    const index = Number(totalForms.value);
    const holder = document.createElement("ol");
    holder.innerHTML = emptyRow.innerHTML.replace(/__prefix__/g, String(index));
    const row = holder.firstElementChild;
    rowsList.appendChild(row);
    totalForms.value = String(index + 1);
    row.dispatchEvent(
      new CustomEvent("formset:added", { bubbles: true, detail: { formsetName: prefix } })
    );
    renumber();
    return row;
  }

  function say(row, text) {
    row.querySelector(".row-note").textContent = text;
  }

  // An empty dose box means "not used": said beside the box, so a blank is never silent.
  // (Whether the exercise may go without the field is the rules' answer, shown by the check.)
  function showUnused(row) {
    for (const name of config.doseFields) {
      const input = fieldOf(row, name);
      const note = input && input.closest(".dose-field").querySelector(".dose-unused");
      if (note) {
        note.hidden = input.value.trim() !== "";
      }
    }
  }

  // An acknowledgement belongs to the exercise it was given for: another exercise starts
  // without one (the server refuses one that applies to nothing, too).
  function clearAcknowledgement(row) {
    const acknowledged = fieldOf(row, "acknowledge_contraindication");
    const reason = fieldOf(row, "contraindication_reason");
    const box = row.querySelector(".row-ack");
    const after = decide.acknowledgementAfterSwitch({
      acknowledged: Boolean(acknowledged && acknowledged.checked),
      reason: reason ? reason.value : "",
    });
    if (acknowledged) {
      acknowledged.checked = after.acknowledged;
    }
    if (reason) {
      reason.value = after.reason;
    }
    if (box) {
      box.hidden = true;
    }
    return after.cleared;
  }

  // A row shows the dose fields its exercise uses; the others wait behind "More (n)".
  function showUsedFields(row, used) {
    const values = {};
    for (const name of config.doseFields) {
      const input = fieldOf(row, name);
      values[name] = input ? input.value : "";
    }
    const tucked = decide.tuckedDoseFields({ doseFields: config.doseFields, used, values });
    for (const name of config.doseFields) {
      const input = fieldOf(row, name);
      if (input) {
        input.closest(".dose-field").classList.toggle("is-tucked", tucked.includes(name));
      }
    }
    let more = row.querySelector(".row-more");
    if (!more) {
      more = document.createElement("button");
      more.type = "button";
      more.className = "row-more";
      more.addEventListener("click", () => {
        row.classList.toggle("shows-more");
        labelMore(row, more);
      });
      row.querySelector(".row-notes").before(more);
    }
    more.dataset.tucked = String(tucked.length);
    more.hidden = tucked.length === 0;
    labelMore(row, more);
  }

  function labelMore(row, more) {
    const open = row.classList.contains("shows-more");
    more.setAttribute("aria-expanded", String(open));
    more.textContent = open
      ? gettext("Fewer")
      : interpolate(gettext("More (%s)"), [more.dataset.tucked]);
  }

  // Choosing another exercise replaces every dose field with the new exercise's defaults,
  // except a field typed since the choice (a look-up can answer after the therapist typed).
  function applyDefaults(row, entry) {
    const doseBoxes = config.doseFields.filter((name) => fieldOf(row, name));
    const { dose, kept } = decide.doseAfterSwitch({
      doseFields: doseBoxes,
      defaults: entry.default_dose,
      typedSinceChoice: row.typedSinceChoice,
      values: rowValues(row, doseBoxes),
    });
    for (const name of doseBoxes) {
      fieldOf(row, name).value = dose[name];
    }
    let text = interpolate(gettext("Dose set to the defaults of “%s”."), [entry.name]);
    if (kept.length) {
      const labels = kept.map((name) => config.doseLabels[name]);
      text += " " + interpolate(gettext("Kept what you typed: %s."), [labels.join(", ")]);
    }
    if (row.acknowledgementCleared) {
      text += " " + gettext("The acknowledgement and its reason were cleared: they were for the previous exercise.");
    }
    say(row, text);
    showUnused(row);
    showUsedFields(row, entry.dose_fields_in_use);
  }

  function clearDose(row) {
    for (const name of config.doseFields) {
      const input = fieldOf(row, name);
      if (input && !row.typedSinceChoice.has(name)) {
        input.value = "";
      }
    }
    showUnused(row);
  }

  function lookUp(exerciseId) {
    const query = decide.exerciseListQuery({
      search: "",
      filters: { id: exerciseId },
      conditions: [],
      pageSize: 1,
    });
    return getJson(`${config.exerciseListUrl}?${query}`).then((data) => {
      const entry = data.results[0];
      if (!entry) {
        return Promise.reject(new Error("unknown exercise"));
      }
      knownExercises.set(String(entry.id), entry);
      return entry;
    });
  }

  function exerciseChosen(row, exerciseId) {
    const choice = {};
    row.currentChoice = choice;
    row.typedSinceChoice = new Set();
    row.acknowledgementCleared = clearAcknowledgement(row);
    if (!exerciseId) {
      return;
    }
    const known = knownExercises.get(String(exerciseId));
    if (known) {
      applyDefaults(row, known);
      scheduleCheck();
      return;
    }
    pendingLookups += 1;
    row.classList.add("is-loading");
    say(row, gettext("Filling in the default dose…"));
    lookUp(exerciseId)
      .then((entry) => {
        if (row.currentChoice === choice) {
          applyDefaults(row, entry);
        }
      })
      .catch(() => {
        if (row.currentChoice === choice) {
          clearDose(row);
          say(row, gettext("The default dose could not be loaded: enter the dose."));
        }
      })
      .finally(() => {
        pendingLookups -= 1;
        row.classList.remove("is-loading");
        scheduleCheck();
      });
  }

  // Only a different exercise counts: the admin's own scripts fire "change" on every
  // related select when the page loads, which must never touch a saved dose.
  for (const select of rowsList.querySelectorAll("select[name$='-exercise']")) {
    select.closest(".programme-row").dataset.exercise = select.value;
  }
  $(rowsList).on("change", "select[name$='-exercise']", function () {
    const row = this.closest(".programme-row");
    if (this.value === (row.dataset.exercise || "")) {
      return;
    }
    row.dataset.exercise = this.value;
    exerciseChosen(row, this.value);
    markPicked();
  });

  rowsList.addEventListener("input", (event) => {
    const row = event.target.closest(".programme-row");
    if (row && row.typedSinceChoice && event.target.name) {
      row.typedSinceChoice.add(fieldName(event.target));
    }
    if (row) {
      showUnused(row);
    }
    scheduleCheck();
  });
  rowsList.addEventListener("change", (event) => {
    if (event.target.name && event.target.name.endsWith("-DELETE")) {
      event.target.closest(".programme-row").classList.toggle("is-removed", event.target.checked);
      renumber();
    }
    scheduleCheck();
  });

  // --- order: move buttons and drag and drop -------------------------------------------

  function move(row, step) {
    const rows = liveRows();
    const target = rows[rows.indexOf(row) + step];
    if (!target) {
      return;
    }
    rowsList.insertBefore(row, step < 0 ? target : target.nextSibling);
    renumber();
    scheduleCheck();
  }

  rowsList.addEventListener("click", (event) => {
    const button = event.target.closest(".row-move");
    if (button) {
      move(button.closest(".programme-row"), Number(button.dataset.move));
      button.focus();
    }
  });

  let dragged = null;
  rowsList.addEventListener("mousedown", (event) => {
    const handle = event.target.closest(".drag-handle");
    if (handle) {
      handle.closest(".programme-row").draggable = true;
    }
  });
  rowsList.addEventListener("mouseup", () => {
    for (const row of rowsList.querySelectorAll(".programme-row[draggable=true]")) {
      row.draggable = false;
    }
  });
  rowsList.addEventListener("dragstart", (event) => {
    if (!event.target.matches(".programme-row")) {
      return; // text dragged out of a field, not a row
    }
    dragged = event.target;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", "");
    dragged.classList.add("is-dragged");
  });
  rowsList.addEventListener("dragover", (event) => {
    if (!dragged) {
      return;
    }
    event.preventDefault();
    const over = event.target.closest(".programme-row");
    if (!over || over === dragged) {
      return;
    }
    const box = over.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    rowsList.insertBefore(dragged, after ? over.nextSibling : over);
  });
  rowsList.addEventListener("drop", (event) => event.preventDefault());
  rowsList.addEventListener("dragend", () => {
    if (dragged) {
      dragged.classList.remove("is-dragged");
      dragged.draggable = false;
      dragged = null;
      renumber();
      scheduleCheck();
    }
  });

  // --- live findings: the shared rules, asked about the rows on screen --------------------

  // A row as the check's item (`checkItem`: the boxes as typed).
  function rowData(row) {
    const acknowledged = fieldOf(row, "acknowledge_contraindication");
    return decide.checkItem({
      values: rowValues(row, ["exercise", ...config.doseFields, "contraindication_reason"]),
      doseFields: config.doseFields,
      acknowledged: Boolean(acknowledged && acknowledged.checked),
    });
  }

  // A dose box's error stands at the box (replacing the one the last save showed there);
  // the row's other errors and its warnings are listed beside the row.
  function showDoseErrors(row, errors) {
    const elsewhere = [];
    for (const label of row.querySelectorAll(".dose-field:not(.row-notes)")) {
      for (const old of label.querySelectorAll(".errorlist, .live-error")) {
        old.remove();
      }
      const input = label.querySelector("input, select");
      if (input) {
        input.removeAttribute("aria-invalid");
      }
    }
    for (const error of errors) {
      const input = config.doseFields.includes(error.field) ? fieldOf(row, error.field) : null;
      if (!input) {
        elsewhere.push(error);
        continue;
      }
      const message = document.createElement("span");
      message.className = "live-error";
      message.textContent = error.message;
      input.closest(".dose-field").appendChild(message);
      input.setAttribute("aria-invalid", "true");
    }
    return elsewhere;
  }

  function showFindings(row, findings) {
    const list = row.querySelector(".row-findings");
    list.replaceChildren();
    // The acknowledgement's errors are the rules', listed below as the check answers them:
    // the last save's copy of them would show each one twice.
    for (const old of row.querySelectorAll(".row-ack .errorlist")) {
      old.remove();
    }
    const errors = showDoseErrors(row, findings.errors);
    const lines = [
      ...errors.map((error) => ["error", error.message]),
      ...findings.warnings.map((warning) => [warning.severity, warning.message]),
    ];
    for (const [severity, message] of lines) {
      const item = document.createElement("li");
      item.className = `finding finding-${severity}`;
      item.textContent = message;
      list.appendChild(item);
    }
    const acknowledgement = row.querySelector(".row-ack");
    if (acknowledgement && decide.needsAcknowledgement(findings)) {
      acknowledgement.hidden = false;
    }
  }

  // The rows are sent as typed (raw text): the server alone decides what a box means.
  function check() {
    const rows = liveRows();
    const sequence = ++checkSequence;
    const sentRows = rows.flatMap((row, index) => (fieldOf(row, "exercise")?.value ? [index] : []));
    postCheck(sentRows.map((index) => rowData(rows[index])))
      .then((data) => {
        if (sequence === checkSequence && checkFailed) {
          checkFailed.hidden = true;
        }
        if (sequence === checkSequence) {
          const findings = decide.rowFindings(data, sentRows, rows.length);
          rows.forEach((row, index) => showFindings(row, findings[index]));
        }
      })
      .catch(() => {
        // Never quiet: the findings on screen may be out of date (Save still checks all).
        if (sequence === checkSequence && checkFailed) {
          checkFailed.hidden = sessionEnded || otherUser; // their banner says why
        }
      });
  }

  function scheduleCheck() {
    markChanged();
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 250);
  }

  // --- finishing: save waits for dose look-ups; Issue asks first; Preview needs a save ----

  const finish = document.querySelector(".workspace-finish");
  let loaded = false;

  function markChanged() {
    if (!loaded || !finish) {
      return;
    }
    const preview = finish.querySelector(".preview-link");
    if (preview) {
      preview.hidden = true;
      finish.querySelector(".preview-stale").hidden = false;
    }
  }

  // --- nothing lost: unsaved changes are told apart from the page as it was loaded -----

  const formState = () => (form ? new URLSearchParams(new FormData(form)).toString() : "");
  let loadedState = null;
  let leaving = false; // a save under way, or a way out the therapist has confirmed
  let sessionConfirmed = false; // the server has just answered that the session holds
  const hasUnsavedChanges = () =>
    Boolean(form) &&
    decide.hasUnsavedChanges({
      loadedState,
      currentState: formState(),
      shownAfterRefusedSave: config.unsaved,
    });

  window.addEventListener("beforeunload", (event) => {
    if (!leaving && hasUnsavedChanges()) {
      event.preventDefault();
      event.returnValue = ""; // the browser asks with its own words
    }
  });

  const pickedExercises = () =>
    liveRows().map((row) => {
      const select = fieldOf(row, "exercise");
      return select ? select.value : "";
    });
  const pickedCount = () => pickedExercises().filter(Boolean).length;

  // Other forms on the page leave it: each says what it would lose, and asks.
  function leaveQuestion(other) {
    const reason = decide.leaveReason({
      form: other.matches(".start-from-template")
        ? "use-template"
        : other.id === "save-as-template-form"
          ? "save-as-template"
          : "other",
      picked: pickedCount(),
      unsaved: hasUnsavedChanges(),
    });
    const questions = {
      "replaces-picked": () =>
        interpolate(
          gettext(
            "“Use this template” replaces the %s exercise(s) you picked, and all you typed, with the template's programme. Replace them?"
          ),
          [pickedCount()]
        ),
      "saves-last-saved": () =>
        gettext(
          "“Save as template” saves the programme as last saved and leaves this page: your unsaved changes would be lost. Save first to keep them. Leave without saving?"
        ),
      unsaved: () => gettext("You have unsaved changes on this page. Leave without saving them?"),
    };
    return reason ? questions[reason]() : "";
  }

  document.addEventListener("submit", (event) => {
    if (!form || event.target === form) {
      return;
    }
    const question = leaveQuestion(event.target);
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    leaving = true;
  });

  function closeIssueDialog() {
    const dialog = finish && finish.querySelector(".issue-dialog");
    if (dialog && dialog.open) {
      dialog.close();
    }
  }

  if (form) {
    form.addEventListener("input", markChanged);
    form.addEventListener("submit", (event) => {
      if (pendingLookups > 0) {
        event.preventDefault();
        window.alert(gettext("A default dose is still being filled in: try again in a moment."));
        return;
      }
      if (!sessionConfirmed) {
        // A save without a session would reach the sign-in page and lose the page: the
        // server is asked first (one request, made by the therapist's own click). Once signed
        // in again (another tab), the save goes ahead with the new CSRF token.
        event.preventDefault();
        const submitter = event.submitter;
        const goAhead = () => {
          sessionConfirmed = true;
          form.requestSubmit(submitter); // dispatches "submit" at once, in this call
          sessionConfirmed = false;
        };
        confirmSameUser().then(goAhead, () => {
          const banner = sessionEnded ? sessionBanner : otherUser ? otherUserBanner : null;
          if (!banner) {
            goAhead(); // the check failed for another reason: the save checks everything
            return;
          }
          closeIssueDialog();
          banner.focus();
        });
        return;
      }
      const token = csrfToken();
      if (formToken && token) {
        formToken.value = token;
      }
      renumber();
      leaving = true;
    });
  }
  if (finish) {
    const dialog = finish.querySelector(".issue-dialog");
    const issueOpen = finish.querySelector(".issue-open");
    issueOpen.addEventListener("click", () => dialog.showModal());
    issueOpen.disabled = false;
    finish.querySelector(".issue-cancel").addEventListener("click", () => dialog.close());
  }

  if (emptyRow) {
    const addEmptyRow = programme.querySelector(".programme-add");
    addEmptyRow.addEventListener("click", () => {
      addRow().querySelector(".row-exercise select").focus();
    });
    addEmptyRow.disabled = false;
  }

  // --- the picker -----------------------------------------------------------------------

  const picker = document.querySelector(".workspace-picker");
  if (picker && emptyRow) {
    const results = picker.querySelector(".picker-results");
    const search = picker.querySelector(".picker-search");
    const safe = picker.querySelector(".picker-safe-toggle");
    let pickerTimer = null;
    let pickerSequence = 0;

    const addFromPicker = (entry) => {
      const already = decide.rowWithExercise(pickedExercises(), entry.id);
      const question = interpolate(
        gettext("“%s” is already in the programme (row %s). Add it again?"),
        [entry.name, already + 1]
      );
      if (already >= 0 && !window.confirm(question)) {
        return;
      }
      knownExercises.set(String(entry.id), entry);
      const row = addRow();
      const select = row.querySelector("select[name$='-exercise']");
      $(select).append(new Option(entry.name, entry.id, true, true)).trigger("change");
      row.scrollIntoView({ block: "nearest" });
    };

    const entryElement = (entry) => {
      const item = document.createElement("li");
      item.className = `picker-entry${entry.caution ? ` has-${entry.caution}` : ""}`;
      item.dataset.exercise = String(entry.id);
      const button = document.createElement("button");
      button.type = "button";
      button.className = "picker-add";
      button.title = interpolate(gettext("Add “%s” with its default dose"), [entry.name]);
      if (entry.picture) {
        const image = document.createElement("img");
        image.src = entry.picture;
        image.alt = "";
        image.className = "picker-thumbnail";
        button.appendChild(image);
      }
      const text = document.createElement("span");
      text.className = "picker-text";
      const name = document.createElement("span");
      name.className = "picker-name";
      name.textContent = entry.name;
      const meta = document.createElement("span");
      meta.className = "picker-meta";
      meta.textContent = entry.meta;
      const dose = document.createElement("span");
      dose.className = "picker-dose";
      dose.textContent = entry.default_dose_text;
      text.append(name, meta, dose);
      if (entry.caution) {
        const mark = document.createElement("span");
        mark.className = `picker-caution caution-${entry.caution}`;
        mark.textContent =
          entry.caution === "contraindication" ? gettext("⚠ Contraindicated") : gettext("⚠ Caution");
        mark.title = entry.cautionText;
        text.appendChild(mark);
      }
      const picked = document.createElement("span");
      picked.className = "picker-picked";
      picked.textContent = gettext("✓ In the programme");
      picked.hidden = true;
      text.appendChild(picked);
      button.appendChild(text);
      button.addEventListener("click", () => addFromPicker(entry));
      item.appendChild(button);
      return item;
    };

    // "1 hidden as unsafe for this patient - show": the public list counts the matches with
    // and without the patient's conditions (only the counts: one exercise a page).
    const hiddenNotice = picker.querySelector(".picker-hidden");
    const countHidden = (sequence) => {
      if (!hiddenNotice) {
        return;
      }
      if (!safe.checked || !config.patientConditions.length) {
        hiddenNotice.hidden = true;
        return;
      }
      const filters = {};
      for (const filter of picker.querySelectorAll(".picker-filter")) {
        filters[filter.dataset.param] = filter.value;
      }
      const count = (conditions) => {
        const query = decide.exerciseListQuery({
          search: search.value,
          filters,
          conditions,
          pageSize: 1,
        });
        return getJson(`${config.exerciseListUrl}?${query}`).then((data) => data.count);
      };
      Promise.all([count([]), count(config.patientConditions)])
        .then(([everyMatch, safeMatches]) => {
          if (sequence !== pickerSequence) {
            return;
          }
          const hidden = decide.hiddenAsUnsafe(everyMatch, safeMatches);
          hiddenNotice.querySelector(".picker-hidden-count").textContent = interpolate(
            gettext("%s hidden as unsafe for this patient —"),
            [hidden]
          );
          hiddenNotice.hidden = hidden === 0;
        })
        .catch(() => {
          if (sequence === pickerSequence) {
            hiddenNotice.hidden = true; // the list itself says when the search failed
          }
        });
    };
    if (hiddenNotice) {
      hiddenNotice.querySelector(".picker-show-hidden").addEventListener("click", () => {
        safe.checked = false;
        loadPicker();
        search.focus();
      });
    }

    // The filters' own words for a slug of the list ("lying-on-back": "Lying on your back").
    const labelOf = (param, slug) => {
      const filter = picker.querySelector(`.picker-filter[data-param="${param}"]`);
      const option = filter && Array.from(filter.options).find((each) => each.value === slug);
      return option ? option.textContent : slug;
    };

    const loadPicker = () => {
      const filters = {};
      for (const filter of picker.querySelectorAll(".picker-filter")) {
        filters[filter.dataset.param] = filter.value;
      }
      const query = decide.exerciseListQuery({
        search: search.value,
        filters,
        conditions: safe && safe.checked ? config.patientConditions : [],
        cautionsFor: config.patient ? config.patientConditions : null,
        pageSize: PICKER_PAGE_SIZE,
      });
      const sequence = ++pickerSequence;
      countHidden(sequence);
      getJson(`${config.exerciseListUrl}?${query}`)
        .then((data) => {
          if (sequence !== pickerSequence) {
            return;
          }
          const entries = data.results.map((exercise) => decide.pickerEntry(exercise, labelOf));
          results.replaceChildren(...entries.map(entryElement));
          if (!entries.length) {
            const none = document.createElement("li");
            none.className = "picker-none";
            none.textContent = gettext("No exercise matches.");
            results.appendChild(none);
          }
          markPicked();
          results.dataset.loaded = String(sequence);
        })
        .catch(() => {
          if (sequence !== pickerSequence) {
            return;
          }
          // Never quiet: an empty or stale list would read as "nothing matches".
          const failed = document.createElement("li");
          failed.className = "picker-failed";
          failed.setAttribute("role", "alert");
          failed.textContent = sessionEnded
            ? gettext("The search cannot run: your session has ended.")
            : gettext("The search could not run. Try again in a moment.");
          results.replaceChildren(failed);
          results.dataset.loaded = String(sequence);
        });
    };

    search.addEventListener("input", () => {
      clearTimeout(pickerTimer);
      pickerTimer = setTimeout(loadPicker, 200);
    });
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault(); // Enter searches; it never submits the prescription
        loadPicker();
      }
    });
    picker.addEventListener("change", (event) => {
      if (event.target.matches(".picker-filter, .picker-safe-toggle")) {
        loadPicker();
      }
    });
    picker.addEventListener("input", (event) => event.stopPropagation());
    onSessionBack.push(loadPicker);
    loadPicker();
  }

  renumber();
  for (const row of liveRows()) {
    showUnused(row);
    const exercise = fieldOf(row, "exercise");
    showUsedFields(row, config.usedDoseFields[exercise ? exercise.value : ""]);
  }
  if (liveRows().length) {
    check();
  }
  loadedState = formState();
  loaded = true;
});
