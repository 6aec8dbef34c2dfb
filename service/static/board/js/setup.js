// "Ny programomgång" on the start page (coordinators): a new programme from an uploaded
// workbook (.xlsx, POST /workbooks) or scenario (JSON, POST /scenarios), or as a copy of a
// stored one. Every error is listed by its place (sheet/row/column or JSON path); the API
// stores nothing when there is one.

import { ApiError, api, el, errorText, href, lang, status, t, token } from "./core.js";
import { errorList } from "./plans.js";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Send a workbook's bytes as the request body (the API's JSON helper sends only JSON). */
async function uploadWorkbook(file) {
  const resp = await fetch("/api/v1/workbooks", {
    method: "POST", body: await file.arrayBuffer(),
    headers: { Authorization: `Bearer ${token()}`, "Accept-Language": lang, "Content-Type": XLSX } });
  const text = await resp.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { detail: text.slice(0, 200) }; }
  if (!resp.ok) throw new ApiError(resp.status, data);
  return data;
}

function done(box, scenario) {
  box.hidden = false;
  box.dataset.scenario = scenario.id;
  box.replaceChildren(el("p", {}, t("setup_created", { name: scenario.name })),
    el("p", { class: "actions" },
      el("a", { class: "button", href: href(`/board/scenarios/${scenario.id}/catalogue`), id: "setup-open-catalogue" }, t("catalogue_title")),
      el("a", { class: "button", href: href(`/board/scenarios/${scenario.id}/overview`), id: "setup-open-overview" }, t("overview_title")),
      el("a", { class: "button", href: href(`/board/scenarios/${scenario.id}`) }, t("open_scenario"))),
    (scenario.warnings || []).length ? errorList(scenario.warnings, "setup-warnings") : null);
}

/** The set-up card, appended to `container`; `scenarios` are the stored ones (to copy). */
export function programmeSetup(container, scenarios, onCreated) {
  const errors = el("div", { id: "setup-errors-box" });
  const result = el("div", { id: "setup-done", class: "setup-done", hidden: true });
  const file = el("input", { id: "setup-file", name: "file", type: "file", accept: ".xlsx,.json,application/json," + XLSX, required: true });
  const upload = el("form", { id: "setup-upload", class: "stack" },
    el("h3", {}, t("setup_upload_title")), el("p", { class: "muted small" }, t("setup_upload_help")),
    el("label", { for: "setup-file" }, t("setup_file")), file,
    el("button", { type: "submit", class: "big", id: "setup-upload-button" }, t("setup_upload")));
  const source = el("select", { id: "setup-source", name: "source" },
    ...scenarios.map((s) => el("option", { value: s.id }, `${s.name} (${s.scenario_id})`)));
  const name = el("input", { id: "setup-name", name: "name", type: "text", autocomplete: "off" });
  const copy = el("form", { id: "setup-copy", class: "stack" },
    el("h3", {}, t("setup_copy_title")),
    el("label", { for: "setup-source" }, t("setup_source")), source,
    el("label", { for: "setup-name" }, t("setup_name")), name,
    el("button", { type: "submit", class: "big", id: "setup-copy-button" }, t("setup_copy")));
  copy.hidden = !scenarios.length;
  const card = el("section", { class: "card", id: "setup", "aria-labelledby": "h-setup" },
    el("h2", { id: "h-setup" }, t("setup_title")), el("div", { class: "grid2" }, upload, copy), errors, result);
  container.append(card);

  function failed(err) {
    const list = err instanceof ApiError ? (err.body?.errors || []) : [];
    errors.replaceChildren(el("p", { class: "status error" }, t("setup_failed", { n: list.length || 1 })),
      errorList(list.length ? list : [{ path: "", message: err.message }], "setup-errors"));
    status(list.length ? t("setup_failed", { n: list.length }) : errorText(err), "error");
  }
  async function created(scenario) {
    errors.replaceChildren();
    status(t("setup_created", { name: scenario.name }));
    done(result, scenario);
    if (onCreated) await onCreated(scenario);
  }

  upload.addEventListener("submit", async (e) => {
    e.preventDefault();
    result.hidden = true;
    const f = file.files[0];
    if (!f) return;
    try {
      if (/\.xlsx$/i.test(f.name)) {
        await created(await uploadWorkbook(f));
        return;
      }
      let doc;
      try { doc = JSON.parse(await f.text()); } catch (err) {
        failed(new ApiError(422, { detail: err.message, errors: [{ path: "$", message: t("setup_bad_json", { detail: err.message }) }] }));
        return;
      }
      await created(await api("/scenarios", { method: "POST", body: doc }));
    } catch (err) { failed(err); }
  });
  copy.addEventListener("submit", async (e) => {
    e.preventDefault();
    result.hidden = true;
    try {
      const src = await api(`/scenarios/${source.value}`);
      const doc = { ...src.document };
      if (name.value.trim()) doc.name = name.value.trim();
      await created(await api("/scenarios", { method: "POST", body: doc }));
    } catch (err) { failed(err); }
  });
}
