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
// After a failed save: an error summary at the top of the page, scrolled to, listing each field in error
// (each a link to it), and the first such field focused.
(() => {
  const main = document.getElementById("main");
  const invalid = Array.from(document.querySelectorAll("form .is-invalid")).filter((el) => el.id);
  if (!main || !invalid.length) return;
  const summary = document.createElement("div");
  summary.className = "alert alert-danger error-summary";
  summary.setAttribute("role", "alert");
  summary.tabIndex = -1;
  const title = document.createElement("p");
  title.className = "fw-semibold mb-1";
  title.textContent = `${main.dataset.errorSummary} ${main.dataset.errorCount.replace("{count}", invalid.length)}`;
  summary.appendChild(title);
  const list = document.createElement("ul");
  list.className = "mb-0";
  invalid.forEach((field) => {
    const label = document.querySelector(`label[for="${field.id}"]`) || field.closest("fieldset")?.querySelector("legend");
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = `#${field.id}`;
    link.className = "alert-link";
    link.textContent = label ? label.textContent.replace(/\*$/, "").trim() : field.name;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      field.focus();
    });
    item.appendChild(link);
    list.appendChild(item);
  });
  summary.appendChild(list);
  main.prepend(summary);
  summary.scrollIntoView({ block: "start" });
  invalid[0].focus({ preventScroll: true });
})();
