/* Concept checks: feedback as soon as the reader picks an option or checks a number.
 *
 * The form comes from gdlesson.concept_checks.concept_check. A multiple-choice check keeps each option's
 * feedback in its data-feedback attribute and marks the right one with data-right. A number check keeps, as
 * JSON on the form, data-answer, data-tolerance, data-explain and data-wrong ([[value, reason], ...]).
 * Feedback texts are HTML made by concept_check. The feedback goes to the form's role="status" paragraph, which screen readers announce.
 */
window.GDCheck = window.GDCheck || (function () {
  "use strict";

  function show(root, right, text) {
    root.classList.toggle("gd-right", right);
    root.classList.toggle("gd-wrong", !right);
    // text is HTML made by concept_check (escaped, with <code> for backticks), never typed by the reader
    root.querySelector(".gd-check-feedback").innerHTML =
      "<strong>" + (right ? "✓ Right." : "✗ Not quite.") + "</strong> " + text;
  }

  // "0.08", "0,08", "8e-2", "-3" and "2/25" are numbers; anything else is not
  function parse(typed) {
    const s = typed.trim().replace(",", ".");
    const parts = s.split("/");
    const ok = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
    if (parts.length > 2 || !parts.every((p) => ok.test(p.trim()))) return NaN;
    return parts.length === 2 ? Number(parts[0]) / Number(parts[1]) : Number(parts[0]);
  }

  function mountChoice(root) {
    root.querySelectorAll('input[type="radio"]').forEach((input) => {
      input.addEventListener("change", () => {
        if (input.checked) show(root, input.dataset.right === "1", input.dataset.feedback);
      });
    });
  }

  function mountNumber(root) {
    const answer = JSON.parse(root.dataset.answer), tolerance = JSON.parse(root.dataset.tolerance);
    const explain = JSON.parse(root.dataset.explain), wrong = JSON.parse(root.dataset.wrong);
    const input = root.querySelector('input[type="text"]');
    root.addEventListener("submit", (event) => {
      event.preventDefault();
      const x = parse(input.value);
      if (!Number.isFinite(x)) {
        root.classList.remove("gd-right", "gd-wrong");
        root.querySelector(".gd-check-feedback").textContent = "Type a number, such as 0.25 or 1/4.";
        return;
      }
      if (Math.abs(x - answer) <= tolerance) { show(root, true, explain); return; }
      const slip = wrong.find(([value]) => Math.abs(x - value) <= tolerance);
      show(root, false, (slip ? slip[1] + " " : "") + explain);
    });
  }

  function mount(root) {
    if (JSON.parse(root.dataset.kind) === "number") mountNumber(root); else mountChoice(root);
  }

  return { mount, parse };
})();
