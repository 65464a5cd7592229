// The site's one script, bundled by Hugo's js.Build. Every page works without it.
import { initQuickExit } from "./quick-exit.js";
import { initMenu } from "./menu.js";
import "./donate.js"; // enhances the donation form, if the page has one
import "./contact.js"; // time trap on the contact form, if the page has one

initQuickExit(document);
initMenu(document);
