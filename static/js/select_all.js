// A header checkbox with data-select-all="<name>" ticks or clears every checkbox of that name on the page.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-select-all]").forEach((master) => {
    const boxes = () => document.querySelectorAll(`input[type=checkbox][name="${master.dataset.selectAll}"]`);
    master.addEventListener("change", () => {
      boxes().forEach((box) => {
        box.checked = master.checked;
      });
    });
  });
});
