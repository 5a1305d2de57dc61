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
