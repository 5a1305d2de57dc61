// Contact form: the 対面 box only matters for a case meeting; show it only then.
(() => {
  const box = document.querySelector(".js-f2f-override");
  if (!box) return;
  const form = box.closest("form");
  const sync = () => {
    const kind = form.querySelector("input[name='kind']:checked");
    box.hidden = !(kind && kind.value === "case_meeting");
  };
  form.addEventListener("change", sync);
  sync();
})();
