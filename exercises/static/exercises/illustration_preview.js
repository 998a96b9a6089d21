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
      contacts: items(field("contacts")).map(([part, surface]) => ({ part, surface })),
    };
  }

  function redraw(block) {
    const query = new URLSearchParams({ frame: JSON.stringify(frameData(block)) });
    const image = block.querySelector(".illustration-preview");
    const message = block.querySelector(".illustration-error");
    fetch(`${block.dataset.previewUrl}?${query}`, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : response.json().then((error) => {
        throw new Error(`${error.attr}: ${error.detail}`);
      })))
      .then((svg) => {
        image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
        message.hidden = true;
        message.textContent = "";
      })
      .catch((error) => {
        message.textContent = error.message;
        message.hidden = false;
      });
  }

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
