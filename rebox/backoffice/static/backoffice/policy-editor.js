// The policy editor's small helpers (the page works without them):
// * "Add a rule" without a round trip: copy the empty rule form (Django's formset
//   `empty_form`, prefix __prefix__) and count it in the management form. Without
//   JavaScript the same button asks the server for one more blank rule.
// * Choosing values in a group that a rule may leave "as the default rule" ticks the
//   group's "Set for this rule" box (data-toggle names it).
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("add-rule");
  const template = document.getElementById("rule-template");
  const total = document.querySelector('input[name="rules-TOTAL_FORMS"]');
  const rules = document.getElementById("rules");
  if (button && template && total && rules) {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      const index = Number(total.value);
      rules.insertAdjacentHTML("beforeend", template.innerHTML.replaceAll("__prefix__", String(index)));
      total.value = String(index + 1);
      document.getElementById("no-rules")?.remove();
      rules.lastElementChild.querySelector("input:not([type=checkbox])")?.focus();
    });
  }
  document.addEventListener("change", (event) => {
    const group = event.target.closest("[data-toggle]");
    if (!group || event.target.id === group.dataset.toggle) return;
    const toggle = document.getElementById(group.dataset.toggle);
    if (toggle) toggle.checked = true;
  });
});
