// The menu button (☰) that a reader sees. pydata-sphinx-theme 0.17.1 and sphinx-book-theme
// 1.3.0 each bind their sidebar toggle to the first ".primary-toggle" on the page, which in
// this layout is a hidden button in the header; the visible one did nothing (upstream
// pydata-sphinx-theme #2451, sphinx-book-theme #988; a newer sphinx-book-theme needs
// Sphinx 8, which Jupyter Book 1 does not allow). A click on any other ".primary-toggle" is
// handed to the bound one: below 992 px it opens the chapter list as a dialog, wider it
// hides or shows the sidebar.
document.addEventListener("DOMContentLoaded", () => {
  const [bound, ...others] = document.querySelectorAll(".primary-toggle");
  if (!bound) return;
  for (const button of others) {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      event.stopPropagation();
      bound.click();
    });
  }
});
