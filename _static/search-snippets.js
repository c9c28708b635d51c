// Search results quote the page's text, not its furniture. Sphinx builds each snippet from
// the whole [role=main] element, which in this theme also holds the header's buttons
// (".ipynb", ".pdf"), the "Contents" lists (on screen and for print) and the previous/next
// links; this drops them first.
window.addEventListener("DOMContentLoaded", () => {
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  const furniture = [
    ".bd-header-article",
    "#jb-print-toc",
    ".bd-sidebar-secondary",
    ".prev-next-footer",
    ".bd-footer-article",
    ".bd-footer-content",
    "button",
  ];
  const pageText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    for (const selector of furniture) {
      page.querySelectorAll(selector).forEach((element) => element.remove());
    }
    return pageText(page.documentElement.outerHTML, anchor);
  };
});
