// Progressive enhancement only: every page works without this file.
import { initAll } from "/static/nhsuk/nhsuk-frontend.min.js";
initAll();
