// Accessible names that match what a reader sees (axe-core: label-content-name-mismatch).
// The theme's search button and the "Show code cell source" toggles carry an aria-label
// ("Search", "Toggle hidden content") other than their visible text, so a speech-input user
// who says what they see cannot reach them: where a control shows text, its text becomes its
// name. The icons inside a labelled button (the colour-mode switch's sun, moon and circle,
// each with a title) are decoration: hidden from assistive technology, so the button's
// label is its name. The reference list's container claims role="list" over entries that
// are not list items (aria-required-children); it becomes a plain container.
function bookFixAccessibleNames() {
  // Font Awesome turns each <i title="Light"> into an <svg role="img"> with a <title>.
  for (const icon of document.querySelectorAll("button[aria-label] :is(i, svg)")) {
    icon.setAttribute("aria-hidden", "true");
    icon.removeAttribute("role");
    icon.removeAttribute("title");
    for (const title of icon.querySelectorAll("title")) title.remove();
  }
  for (const button of document.querySelectorAll("button[aria-label], summary[aria-label]")) {
    const visible = button.innerText.replace(/\s+/g, " ").trim();
    const label = button.getAttribute("aria-label");
    if (visible && !label.toLowerCase().includes(visible.toLowerCase())) {
      button.removeAttribute("aria-label");
    }
  }
  for (const list of document.querySelectorAll(".citation-list[role='list']")) {
    list.removeAttribute("role");
  }
}
window.addEventListener("load", bookFixAccessibleNames);
