// Quick exit, after GOV.UK's "Exit this page": the link works on its own;
// here Esc, or Shift pressed three times, also leaves, the page is hidden
// at once and the history entry is replaced so Back does not return to it.

const SHIFT_WINDOW_MS = 5000;

export function initQuickExit(doc) {
  const link = doc.getElementById("quick-exit");
  if (!link) return;
  const win = doc.defaultView;

  const leave = () => {
    doc.documentElement.classList.add("exiting");
    doc.title = "";
    win.location.replace(link.href);
  };

  link.addEventListener("click", (event) => {
    event.preventDefault();
    leave();
  });

  let shifts = 0;
  let timer = 0;
  doc.addEventListener("keydown", (event) => {
    if (event.isComposing) return;
    if (event.key === "Escape") {
      leave();
      return;
    }
    if (event.key !== "Shift" || event.repeat) {
      shifts = 0;
      return;
    }
    shifts += 1;
    win.clearTimeout(timer);
    timer = win.setTimeout(() => { shifts = 0; }, SHIFT_WINDOW_MS);
    if (shifts >= 3) leave();
  });

  // Coming back from the back-forward cache: show nothing, leave again.
  win.addEventListener("pageshow", (event) => {
    if (event.persisted && doc.documentElement.classList.contains("exiting")) {
      leave();
    }
  });
}
