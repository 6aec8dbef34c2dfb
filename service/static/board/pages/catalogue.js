// The programme's catalogue as JSON, one editor per section (tracks, modules, trainers, rooms,
// interpreters, calendar). Saving a section stores a new version of the programme
// (POST /scenarios?programme=<id>) through the API's own validation; its errors are shown by
// JSON path next to the section they name, and nothing is stored while there are any.

import { ApiError, api, el, errorText, fmtDateTime, href, page, run, status, t } from "../js/core.js";
import { clearErrors, showErrors } from "../js/plans.js";

const id = page.scenario_ref;
const SECTIONS = ["tracks", "modules", "trainers", "rooms", "interpreters", "calendar"];

function editor(section, value) {
  const area = el("textarea", { id: `json-${section}`, name: section, rows: 12, spellcheck: "false", class: "json",
                                "aria-describedby": `help-${section}` });
  area.value = JSON.stringify(value ?? (section === "calendar" ? {} : []), null, 2);
  return el("section", { class: "card section", dataset: { section, path: `$.${section}` }, id: `section-${section}` },
    el("h2", {}, t(`section_${section}`)),
    el("p", { class: "muted small", id: `help-${section}` }, t("catalogue_section_help", { section })),
    el("label", { for: `json-${section}`, class: "sr-only" }, t(`section_${section}`)), area,
    el("div", { class: "buttons" },
      el("button", { type: "button", class: "big save-section", id: `save-${section}`, dataset: { section } }, t("catalogue_save"))));
}

/** An error's path cut to the section it names ("$.tracks[0].min_group" -> "$.tracks"). */
function sectionPath(path) {
  const m = String(path || "").match(/^\$\.(\w+)/);
  return m && SECTIONS.includes(m[1]) ? `$.${m[1]}` : "$";
}

run(async (me) => {
  if (me.role === "manager") { status(t("forbidden"), "error"); return; }
  const scen = await api(`/scenarios/${id}`);
  document.getElementById("page-title").textContent = t("catalogue_title_for", { name: scen.name });
  document.getElementById("catalogue-programme").append(t("catalogue_version", { created: fmtDateTime(scen.created_at) }), " ",
    el("a", { href: href(`/board/scenarios/${id}`) }, t("open_scenario")), " · ",
    el("a", { href: href(`/board/scenarios/${id}/overview`) }, t("overview_title")));
  const doc = scen.document;
  const box = document.getElementById("sections");
  box.replaceChildren(...SECTIONS.map((s) => editor(s, doc[s])));
  const root = document.getElementById("content");
  for (const button of box.querySelectorAll(".save-section")) {
    button.addEventListener("click", async () => {
      const section = button.dataset.section;
      clearErrors(root);
      status("");
      let value;
      try {
        value = JSON.parse(document.getElementById(`json-${section}`).value);
      } catch (err) {
        showErrors([{ path: `$.${section}`, message: t("catalogue_bad_json", { detail: err.message }) }], "", { root, normalize: sectionPath });
        status(t("catalogue_has_errors"), "error");
        return;
      }
      const next = { ...doc, [section]: value };
      button.disabled = true;
      try {
        const saved = await api(`/scenarios?programme=${encodeURIComponent(id)}`, { method: "POST", body: next });
        const done = document.getElementById("catalogue-done");
        done.hidden = false;
        done.dataset.scenario = saved.id;
        done.replaceChildren(t("catalogue_saved", { section: t(`section_${section}`) }), " ",
          el("a", { href: href(`/board/scenarios/${saved.id}/catalogue`), id: "catalogue-new-version" }, t("catalogue_open_new")));
        status(t("catalogue_saved", { section: t(`section_${section}`) }));
      } catch (err) {
        if (err instanceof ApiError && err.status === 422) {
          const errors = err.body?.errors || [];
          // every error by its JSON path, in the section it names (the rest above the sections)
          showErrors(errors.map((e) => ({ ...e, message: `${e.path}: ${e.message}` })), err.message, { root, normalize: sectionPath });
          status(t("catalogue_has_errors"), "error");
        } else status(errorText(err), "error");
      } finally { button.disabled = false; }
    });
  }
});
