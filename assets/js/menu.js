// The header menu is a <details> that CSS keeps open on wide screens through
// ::details-content. Browsers without that pseudo-element get it opened here
// at those widths (and closed again on a phone), so the menu never hides
// behind a button on a desktop.
export function initMenu(doc) {
  const menu = doc.querySelector(".site-menu");
  const win = doc.defaultView;
  if (!menu || !win.matchMedia || win.CSS?.supports?.("selector(::details-content)")) return;
  const wide = win.matchMedia("(min-width: 60rem)");
  const apply = () => { menu.open = wide.matches; };
  apply();
  wide.addEventListener?.("change", apply);
}
