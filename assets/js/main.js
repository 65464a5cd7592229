// The site's one script, bundled by Hugo's js.Build. Every page works without it.
import { initQuickExit } from "./quick-exit.js";

initQuickExit(document);
