// Small progressive enhancements; the pages work without JavaScript.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target.matches && target.matches(".js-autosubmit")) {
    target.form.submit();
  }
});
document.addEventListener("click", (event) => {
  const target = event.target.closest && event.target.closest(".js-print");
  if (target) {
    event.preventDefault();
    window.print();
  }
});
// A panel that loads after the page: [data-fragment] is replaced by the element [data-fragment-part]
// of the page at that URL; without JavaScript (or on an error) its link stays.
document.querySelectorAll("[data-fragment]").forEach(async (holder) => {
  try {
    const response = await fetch(holder.dataset.fragment, { credentials: "same-origin" });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const part = page.querySelector(holder.dataset.fragmentPart);
    if (part) holder.replaceWith(part);
  } catch (error) {
    // the link remains
  }
});
