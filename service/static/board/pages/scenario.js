// A scenario: its schedules (pick two or more to compare), a solve with live progress, its
// variants, and the change form that starts a variant and re-plans it against the baseline.

import { ApiError, api, el, errorText, fmtDateTime, fmtNumber, href, page, run, status, t } from "../js/core.js";
import { follow } from "../js/progress.js";

const id = page.scenario_ref;

/** "#3" for a published revision, "Utkast" for a draft (a solve not yet published). */
function revisionLabel(r) {
  return r.revision == null ? t("draft") : `#${r.revision}`;
}

function scheduleTable(rows) {
  if (!rows.length) return el("p", { class: "muted" }, t("no_schedule"));
  return el("table", { class: "data", id: "schedule-table" },
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, el("span", { class: "sr-only" }, t("compare_selected"))),
      el("th", { scope: "col" }, t("col_revision")), el("th", { scope: "col" }, t("col_status")),
      el("th", { scope: "col" }, t("col_objective")), el("th", { scope: "col" }, t("col_created")))),
    el("tbody", {}, ...rows.map((r) => el("tr", { dataset: { schedule: r.id } },
      el("td", {}, el("input", { type: "checkbox", class: "pick", value: r.id, id: `pick-${r.id}`,
                                 "aria-label": `${t("compare_selected")}: ${revisionLabel(r)}` })),
      el("td", {}, el("a", { href: href(`/board/schedules/${r.id}`), class: "schedule-link" }, revisionLabel(r))),
      el("td", {}, t(`status_${r.status}`)),
      el("td", { class: "num", dataset: { value: r.objective ?? "" } }, fmtNumber(r.objective)),
      el("td", {}, fmtDateTime(r.created_at))))));
}

async function loadSchedules() {
  const rows = await api(`/scenarios/${id}/schedules`);
  document.getElementById("schedules").replaceChildren(scheduleTable(rows));
  return rows;
}

function variantsList(variants) {
  if (!variants.length) return el("p", { class: "muted" }, "–");
  return el("ul", { class: "variants", id: "variant-list" }, ...variants.map((v) => el("li", { dataset: { variant: v.id } },
    el("a", { href: href(`/board/scenarios/${v.id}`) }, v.name), " ",
    el("span", { class: "muted small" }, `${t("col_changes")}: ${v.changes.map((c) => c.type).join(", ")}`))));
}

function fillSelect(select, items) {
  select.replaceChildren(...items.map((x) => el("option", { value: x.id }, x.name && x.name !== x.id ? `${x.name} (${x.id})` : x.id)));
}

/** The changes the form describes, in the variant API's words. */
function changesFromForm(form) {
  const f = new FormData(form);
  const type = f.get("type");
  const v = (k) => (f.get(k) || "").toString().trim();
  if (type === "json") return JSON.parse(v("json") || "[]");
  if (type === "unavailable") return [{ type, trainer: v("trainer"), start: v("start"), end: v("end"), reason: v("reason") || undefined }];
  if (type === "close") return [{ type, start: v("start"), end: v("end"), reason: v("reason") || "" }];
  if (type === "remove_trainer") return [{ type, trainer: v("trainer") }];
  const change = { type, action_plan: v("action_plan") };
  for (const k of ["earliest", "deadline", "target"]) if (v(k)) change[k] = v(k);
  return [change];
}

function showFields(form) {
  const type = form.elements.type.value;
  for (const field of form.querySelectorAll("[data-for]")) field.hidden = !field.dataset.for.split(" ").includes(type);
}

/** A finished job: a link to its schedule (and to the comparison with its baseline). */
function finished(box, job, baseline) {
  if (job.state !== "succeeded") return;
  const links = el("p", { class: "actions", id: `${box.id}-done` }, t("job_done"), " ",
    el("a", { href: href(`/board/schedules/${job.schedule_id}`), id: `${box.id}-schedule` }, t("open_schedule")));
  if (baseline) {
    links.append(" ", el("a", { href: href("/board/compare", { schedules: `${baseline},${job.schedule_id}` }),
                                id: `${box.id}-compare`, class: "button" }, t("compare_with_baseline")));
  }
  box.append(links);
}

run(async (me) => {
  if (me.role === "manager") {
    status(t("forbidden"), "error");
    return;
  }
  const scen = await api(`/scenarios/${id}`);
  document.getElementById("page-title").textContent = t("scenario_title", { name: scen.name });
  document.title = `${scen.name} · ${t("app_title")}`;
  try {
    const v = await api(`/variants/${id}`);
    const lineage = document.getElementById("scenario-lineage");
    lineage.append(t("variant_of", { name: "" }), el("a", { href: href(`/board/scenarios/${v.parent}`) }, v.parent), ` · ${t("col_changes")}: `,
      v.changes.map((c) => c.type).join(", "));
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
  }
  await loadSchedules();
  document.getElementById("compare-selected").addEventListener("click", () => {
    const picked = [...document.querySelectorAll("input.pick:checked")].map((x) => x.value);
    if (picked.length < 2) { status(t("compare_need_two"), "error"); return; }
    window.location.href = href("/board/compare", { schedules: picked.join(",") });
  });

  // solve with live progress
  const solveForm = document.getElementById("solve-form");
  const progress = document.getElementById("progress");
  async function track(jobId, box, baseline) {
    const job = await follow(box, jobId);
    finished(box, job, baseline);
    await loadSchedules();
  }
  solveForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    status("");
    try {
      const job = await api(`/scenarios/${id}/solve`, { method: "POST", body: { time_limit: Number(solveForm.elements.time_limit.value), workers: 1 } });
      await track(job.id, progress, null);
    } catch (err) { status(errorText(err), "error"); }
  });
  // a solve of this scenario that is already running is followed too
  const jobs = await api("/jobs?limit=50");
  const running = jobs.find((j) => j.scenario === id && (j.state === "running" || j.state === "queued"));
  if (running) track(running.id, progress, running.options.baseline_schedule_id || null);

  // variants
  document.getElementById("variants").replaceChildren(variantsList(await api(`/scenarios/${id}/variants`)));
  const form = document.getElementById("variant-form");
  const doc = scen.document;
  fillSelect(form.elements.trainer, doc.trainers || []);
  fillSelect(form.elements.action_plan, doc.action_plans || []);
  form.elements.name.value = `${scen.name} – ${t("variant_form_title").toLowerCase()}`;
  form.elements.type.addEventListener("change", () => showFields(form));
  showFields(form);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    status("");
    let changes;
    try { changes = changesFromForm(form); } catch (err) { status(t("error", { detail: err.message }), "error"); return; }
    const box = document.getElementById("variant-progress");
    try {
      const variant = await api(`/scenarios/${id}/variants`, { method: "POST", body: { name: form.elements.name.value, changes } });
      status(t("variant_created", { name: variant.name }));
      const options = { time_limit: Number(form.elements.time_limit.value), workers: 1 };
      if (form.elements.freeze_until.value) options.freeze_until = form.elements.freeze_until.value;
      let job;
      try {
        job = await api(`/scenarios/${variant.id}/replan`, { method: "POST", body: options });
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 422 && (err.body?.errors || []).some((x) => x.path === "$.baseline"))) throw err;
        status(t("variant_no_baseline"));
        job = await api(`/scenarios/${variant.id}/solve`, { method: "POST", body: { time_limit: options.time_limit, workers: 1 } });
      }
      box.dataset.variant = variant.id;
      document.getElementById("variants").replaceChildren(variantsList(await api(`/scenarios/${id}/variants`)));
      const done = await follow(box, job.id);
      finished(box, done, job.options.baseline_schedule_id || null);
    } catch (err) {
      status(errorText(err), "error");
    }
  });
});
