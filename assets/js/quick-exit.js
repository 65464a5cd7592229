// Quick exit, after GOV.UK's "Exit this page": the link works on its own;
// here Esc, or Shift pressed three times, also leaves. The page is hidden at
// once and the history entry is replaced, so Back does not return to it.

const SHIFT_WINDOW_MS = 5000;

export function initQuickExit(doc) {
  const link = doc.getElementById("quick-exit");
  if (!link) return;
  const win = doc.defaultView;

  const leave = () => {
    // Hide first: the neutral site may take a moment to load.
    doc.documentElement.classList.add("exiting");
    if (doc.body) doc.body.hidden = true;
    doc.title = "";
    win.location.replace(link.href);
  };

  // Every click leaves, even a middle or Ctrl click: a new tab would leave this one open.
  link.addEventListener("click", (event) => {
    event.preventDefault();
    leave();
  });
  link.addEventListener("auxclick", (event) => {
    event.preventDefault();
    leave();
  });

  let shifts = 0;
  let timer = 0;
  // Capture phase on the window, so no other handler on the page can swallow the keys.
  win.addEventListener("keydown", (event) => {
    if (event.isComposing) return;
    if (event.key === "Escape") {
      // Unhandled, Escape is the browser's "stop loading", which can cancel
      // the very navigation that leave() starts.
      event.preventDefault();
      leave();
      return;
    }
    if (event.key !== "Shift") {
      shifts = 0;
      return;
    }
    if (event.repeat) return; // a held Shift counts once
    shifts += 1;
    win.clearTimeout(timer);
    timer = win.setTimeout(() => { shifts = 0; }, SHIFT_WINDOW_MS);
    if (shifts >= 3) {
      shifts = 0;
      leave();
    }
  }, true);

  // Back to this page from the back-forward cache after an exit: show nothing, leave again.
  win.addEventListener("pageshow", (event) => {
    if (event.persisted && doc.documentElement.classList.contains("exiting")) {
      leave();
    }
  });
}
