// Accessible names that match what a reader sees (axe-core: label-content-name-mismatch).
// The theme's search button and the "Show code cell source" toggles carry an aria-label
// ("Search", "Toggle hidden content") other than their visible text, so a speech-input user
// who says what they see cannot reach them: where a control shows text, its text becomes its
// name. The icons inside a labelled button (the colour-mode switch's sun, moon and circle,
// each with a title) are decoration: hidden from assistive technology, so the button's
// label is its name. Font Awesome turns each <i title="Light"> into an <svg role="img"> with
// a <title>, whenever its script gets to it, so the icons are cleaned again each time they
// change. The reference list's container claims role="list" over entries that are not list
// items (aria-required-children); it becomes a plain container.
function bookHideIcons(button) {
  for (const icon of button.querySelectorAll("i, svg")) {
    if (icon.getAttribute("aria-hidden") !== "true") icon.setAttribute("aria-hidden", "true");
    if (icon.hasAttribute("role")) icon.removeAttribute("role");
    if (icon.hasAttribute("title")) icon.removeAttribute("title");
    for (const title of icon.querySelectorAll("title")) title.remove();
  }
}

function bookFixAccessibleNames() {
  for (const button of document.querySelectorAll("button[aria-label]")) {
    bookHideIcons(button);
    new MutationObserver(() => bookHideIcons(button)).observe(button, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["title", "role", "aria-hidden"],
    });
  }
  for (const control of document.querySelectorAll("button[aria-label], summary[aria-label]")) {
    const visible = control.innerText.replace(/\s+/g, " ").trim();
    const label = control.getAttribute("aria-label");
    if (visible && !label.toLowerCase().includes(visible.toLowerCase())) {
      control.removeAttribute("aria-label");
    }
  }
  for (const list of document.querySelectorAll(".citation-list[role='list']")) {
    list.removeAttribute("role");
  }
}
document.addEventListener("DOMContentLoaded", bookFixAccessibleNames);
