// A tap or a click on a figure opens its image full size, where a phone can zoom into it.
// Figures are fitted to the text column; on a 390 px screen a wide one shrinks to less than
// half its pixels.
window.addEventListener("DOMContentLoaded", () => {
  for (const image of document.querySelectorAll("figure img, div.book-figure img")) {
    if (image.closest("a")) continue;
    const link = document.createElement("a");
    link.href = image.currentSrc || image.src;
    link.className = "book-figure-link";
    link.title = "Open the figure full size";
    image.replaceWith(link);
    link.appendChild(image);
  }
});
