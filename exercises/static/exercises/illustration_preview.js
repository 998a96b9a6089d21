// Redraws a frame's preview as its angles, props or contacts change: the admin's preview
// endpoint draws it with the same code as the API and the handout, or names what is wrong.
"use strict";
(function () {
  function items(text) {
    return text.split(",").map((item) => item.trim()).filter(Boolean)
      .map((item) => item.split(":").map((piece) => piece.trim()));
  }

  function number(text) {
    return text.trim() === "" ? 0 : Number(text);
  }

  function frameData(block) {
    const field = (name) => block.querySelector(`[data-field='${name}']`).value;
    const pose = {};
    for (const input of block.querySelectorAll("[data-joint]")) {
      if (number(input.value) !== 0) {
        pose[input.dataset.joint] = number(input.value);
      }
    }
    return {
      name: field("name") || "preview",
      alt_text: field("alt_text") || "Preview.",
      orientation: number(field("orientation")),
      pose: pose,
      props: items(field("props")).map(([kind, side]) => (side ? { kind, side } : { kind })),
      contacts: items(field("contacts")).map(([part, surface, where]) => (
        where ? { part, surface, where } : { part, surface })),
      limits: Object.fromEntries(items(field("limits")).map(([key, value]) => (
        [key, key === "max_lean" ? number(value || "") : value]))),
      views: items(field("views")).map(([view]) => view),
      option: field("option"),
    };
  }

  // The input an error names ("pose.near_knee", "contacts.1.surface"): only it turns red.
  function faultyInput(block, attr) {
    const [first, second] = attr.split(".");
    return first === "pose"
      ? block.querySelector(`[data-joint='${second}']`)
      : block.querySelector(`[data-field='${first}']`);
  }

  function markFault(block, attr) {
    for (const input of block.querySelectorAll(".illustration-invalid")) {
      input.classList.remove("illustration-invalid");
      input.removeAttribute("aria-invalid");
    }
    const input = attr ? faultyInput(block, attr) : null;
    if (input) {
      input.classList.add("illustration-invalid");
      input.setAttribute("aria-invalid", "true");
    }
  }

  function redraw(block) {
    const data = frameData(block);
    if (!Object.keys(data.limits).length) {
      delete data.limits;
    }
    if (!data.views.length) {
      delete data.views;
    }
    if (!data.option) {
      delete data.option;
    }
    redrawViews(block, data);
    const query = new URLSearchParams({ frame: JSON.stringify(data) });
    const image = block.querySelector(".illustration-preview");
    const message = block.querySelector(".illustration-error");
    fetch(`${block.dataset.previewUrl}?${query}`, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : response.json().then((error) => {
        const failure = new Error(`${data.name}: ${error.detail}`);
        failure.attr = error.attr;
        throw failure;
      })))
      .then((svg) => {
        image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
        image.classList.remove("is-stale");
        message.hidden = true;
        message.textContent = "";
        markFault(block, "");
      })
      .catch((error) => {
        // The last good drawing is no longer what the fields say: grey it out at once.
        image.classList.add("is-stale");
        message.textContent = error.message;
        message.hidden = false;
        markFault(block, error.attr || "");
      });
  }

  // The frame's other views, one picture each under the side view, as the handout shows them.
  function redrawViews(block, data) {
    const box = block.querySelector(".illustration-preview-box");
    for (const image of box.querySelectorAll(".illustration-view")) {
      image.remove();
    }
    const message = box.querySelector(".illustration-error");
    for (const view of data.views || []) {
      const image = document.createElement("img");
      image.className = "illustration-view";
      image.dataset.view = view;
      image.alt = view;
      const query = new URLSearchParams({ frame: JSON.stringify(data), view: view });
      fetch(`${block.dataset.previewUrl}?${query}`, { credentials: "same-origin" })
        .then((response) => (response.ok ? response.text() : Promise.reject()))
        .then((svg) => {
          image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
        })
        .catch(() => image.remove());
      box.insertBefore(image, message);
    }
  }

  // Show the error state as soon as a value is typed, before the redraw answers.
  document.addEventListener("input", (event) => {
    const block = event.target.closest(".illustration-frame");
    if (block && event.target.validity && !event.target.validity.valid) {
      block.querySelector(".illustration-preview").classList.add("is-stale");
    }
  });

  const pending = new WeakMap();
  document.addEventListener("input", (event) => {
    const block = event.target.closest(".illustration-frame");
    if (!block) {
      return;
    }
    clearTimeout(pending.get(block));
    pending.set(block, setTimeout(() => redraw(block), 200));
  });
})();
