// The coordinator's overview of a programme's action plans: per workplace draft / submitted /
// missing, participants per track (submitted plans), the diagnosis's capacity warnings, and
// "Sammanställ och lös": the submitted plans become the programme's next scenario and its solve
// starts; its progress is followed live as the scenario page's solve is.

import { ApiError, api, el, errorText, fmtDateTime, fmtNumber, href, page, run, status, t } from "../js/core.js";
import { follow } from "../js/progress.js";
import { errorList } from "../js/plans.js";

const id = page.scenario_ref;
let trackNames = {};

function workplaceTable(rows) {
  return el("table", { class: "data", id: "overview-table" },
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("plans_workplace")), el("th", { scope: "col", class: "num" }, t("plan_status_draft")),
      el("th", { scope: "col", class: "num" }, t("plan_status_submitted")), el("th", { scope: "col", class: "num" }, t("plan_status_withdrawn")),
      el("th", { scope: "col" }, t("overview_state")), el("th", { scope: "col" }, t("overview_plans")))),
    el("tbody", {}, ...rows.map((w) => {
      const c = w.counts || {};
      return el("tr", { dataset: { workplace: w.workplace, missing: w.missing ? "1" : "0" }, class: w.missing ? "missing" : null },
        el("th", { scope: "row", "data-label": t("plans_workplace") },
          el("a", { href: href(`/board/scenarios/${id}/action-plans`, { workplace: w.workplace }) }, w.name || w.workplace)),
        el("td", { class: "num", "data-label": t("plan_status_draft"), dataset: { count: "draft" } }, fmtNumber(c.draft || 0)),
        el("td", { class: "num", "data-label": t("plan_status_submitted"), dataset: { count: "submitted" } }, fmtNumber(c.submitted || 0)),
        el("td", { class: "num", "data-label": t("plan_status_withdrawn"), dataset: { count: "withdrawn" } }, fmtNumber(c.withdrawn || 0)),
        el("td", { "data-label": t("overview_state") }, w.missing ? t("overview_missing") : (c.submitted ? t("overview_submitted") : t("overview_draft_only"))),
        el("td", { "data-label": t("overview_plans"), class: "small" },
          (w.plans || []).map((p) => `${p.plan_id} (${t(`plan_status_${p.status}`)}, ${p.track}, ${p.participants})`).join("; ") || "–"));
    })));
}

function trackTable(rows) {
  if (!rows.length) return el("p", { class: "muted" }, t("overview_no_tracks"));
  return el("table", { class: "data compact", id: "track-table" },
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("plan_track")), el("th", { scope: "col", class: "num" }, t("overview_participants")),
      el("th", { scope: "col" }, t("overview_plans")))),
    el("tbody", {}, ...rows.map((r) => el("tr", { dataset: { track: r.track } },
      el("th", { scope: "row" }, trackNames[r.track] ? `${trackNames[r.track]} (${r.track})` : r.track), el("td", { class: "num", dataset: { value: r.participants } }, fmtNumber(r.participants)),
      el("td", { class: "small" }, (r.plans || []).join(", "))))));
}

function warnings(ov) {
  const items = [
    ...(ov.errors || []).map((e) => el("li", { class: "finding error", dataset: { path: e.path } }, el("code", {}, e.path), ": ", e.message)),
    ...(ov.warnings || []).map((f) => el("li", { class: `finding ${f.severity || ""}`, dataset: { rule: f.rule || "" } }, f.message,
      (f.suggestions || []).length ? el("ul", { class: "suggestions" }, ...f.suggestions.map((g) => el("li", {}, g.message))) : null)),
  ];
  return el("div", {},
    ov.note ? el("p", { class: "muted" }, ov.note) : null,
    items.length ? el("ul", { class: "findings", id: "capacity-warnings" }, ...items) : el("p", { class: "muted", id: "capacity-none" }, t("overview_no_warnings")));
}

async function load() {
  const ov = await api(`/scenarios/${id}/action-plans/overview`);
  document.getElementById("overview-workplaces").replaceChildren(el("div", { class: "scroll" }, workplaceTable(ov.workplaces || [])));
  document.getElementById("overview-tracks").replaceChildren(trackTable(ov.tracks || []));
  document.getElementById("overview-warnings").replaceChildren(warnings(ov));
  document.getElementById("content").dataset.loaded = String(Date.now());
  return ov;
}

run(async (me) => {
  if (me.role === "manager") { status(t("forbidden"), "error"); return; }
  const scen = await api(`/scenarios/${id}`);
  trackNames = Object.fromEntries((scen.document.tracks || []).map((x) => [x.id, x.name || x.id]));
  document.getElementById("page-title").textContent = t("overview_title_for", { name: scen.name });
  document.getElementById("overview-programme").append(t("catalogue_version", { created: fmtDateTime(scen.created_at) }), " ",
    el("a", { href: href(`/board/scenarios/${id}`) }, t("open_scenario")), " · ",
    el("a", { href: href(`/board/scenarios/${id}/catalogue`) }, t("catalogue_title")));
  await load();
  const form = document.getElementById("compile-form");
  const button = document.getElementById("compile-button");
  button.hidden = me.role !== "coordinator";
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    status("");
    const errBox = document.getElementById("compile-errors");
    errBox.hidden = true;
    button.disabled = true;
    try {
      const out = await api(`/scenarios/${id}/action-plans/compile`, { method: "POST",
        body: { time_limit: Number(form.elements.time_limit.value), workers: 1 } });
      const info = document.getElementById("compile-scenario");
      info.hidden = false;
      info.dataset.scenario = out.scenario.id;
      info.replaceChildren(t("compile_started", { n: (out.plans || []).length }), " ",
        el("a", { href: href(`/board/scenarios/${out.scenario.id}`), id: "compile-scenario-link" }, out.scenario.name));
      const box = document.getElementById("compile-progress");
      const job = await follow(box, out.job.id);
      await load();
      if (job.state === "succeeded") {
        box.append(el("p", { class: "actions", id: "compile-progress-done" }, t("job_done"), " ",
          el("a", { href: href(`/board/schedules/${job.schedule_id}`), id: "compile-progress-schedule" }, t("open_schedule"))));
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) {
        const list = errorList(err.body?.errors || [{ path: "", message: err.message }], "compile-errors");
        document.getElementById("compile-errors").replaceWith(list);
      }
      status(errorText(err), "error");
    } finally { button.disabled = false; }
  });
});
