// Two or more schedules side by side: every KPI as the validator recomputes it (GET /compare),
// the sessions moved, added and cancelled against the first, and the timelines of the others
// with those sessions highlighted.

import { api, el, errorText, fmtDay, fmtDateTime, fmtNumber, href, objectiveTerms, page, run, t } from "../js/core.js";
import { prepare, timeline } from "../js/timeline.js";

function kpiRows(rows, terms) {
  const out = [["objective", t("kpi_objective"), (r) => r.objective, 0]];
  for (const { term, label } of terms) {
    if (rows.some((r) => term in (r.objective_breakdown || {}))) out.push([`term:${term}`, label, (r) => r.objective_breakdown?.[term], 0]);
  }
  out.push(["sessions_scheduled", t("kpi_scheduled"), (r) => r.sessions_scheduled, 0],
           ["unscheduled", t("kpi_unscheduled"), (r) => r.unscheduled, 0],
           ["participants_unassigned", t("kpi_unassigned"), (r) => r.participants_unassigned, 0],
           ["backfill_hours", t("kpi_backfill"), (r) => r.backfill_hours, 1],
           ["overtime_hours", t("kpi_overtime"), (r) => r.overtime_hours, 1],
           ["travel_minutes", t("kpi_travel"), (r) => r.travel_minutes, 0],
           ["late_days", t("term_late_per_day"), (r) => r.late_days, 0],
           ["trainer_changes", t("term_trainer_change"), (r) => r.trainer_changes, 0]);
  return out;
}

function kpiTable(result, terms) {
  const rows = result.schedules;
  const head = el("tr", {}, el("th", { scope: "col" }, t("compare_kpi")), ...rows.map((r, i) => el("th", { scope: "col", dataset: { schedule: result.ids[i] } },
    el("a", { href: href(`/board/schedules/${result.ids[i]}`) }, r.scenario_name), el("div", { class: "muted small" }, `${result.ids[i].slice(0, 8)}`))));
  const body = kpiRows(rows, terms).map(([key, label, get, digits]) => {
    const ref = get(rows[0]);
    return el("tr", { class: key.startsWith("term:") ? "sub" : "", dataset: { kpi: key } }, el("th", { scope: "row" }, label), ...rows.map((r, i) => {
      const v = get(r);
      const changed = i > 0 && v !== ref;
      return el("td", { class: `num${changed ? (v < ref ? " better" : " worse") : ""}`, dataset: { value: v ?? "" } }, fmtNumber(v, digits));
    }));
  });
  body.push(el("tr", { dataset: { kpi: "valid" } }, el("th", { scope: "row" }, t("valid")),
    ...rows.map((r) => el("td", { dataset: { value: String(r.valid) } }, r.valid ? t("yes") : t("no")))));
  const plans = [...new Set(rows.flatMap((r) => Object.keys(r.completion || {})))].sort();
  for (const p of plans.slice(0, 60)) {
    body.push(el("tr", { dataset: { kpi: `completion:${p}` } }, el("th", { scope: "row" }, t("completed", { plan: p })),
      ...rows.map((r) => el("td", { dataset: { value: r.completion?.[p] ?? "" } }, r.completion?.[p] ? fmtDay(r.completion[p]) : t("not_complete")))));
  }
  return el("div", { class: "scroll" }, el("table", { class: "data compare", id: "compare-table" }, el("thead", {}, head), el("tbody", {}, ...body)));
}

function diffTable(d, doc) {
  const n = doc.names;
  const when = (x) => (x ? `${fmtDateTime(x.start, doc.timezone)} · ${n.trainers[x.trainer] || x.trainer} · ${x.room ? n.rooms[x.room] || x.room : t("remote")}` : "–");
  return el("section", { class: "card diff", dataset: { to: d.to } },
    el("h2", {}, t("compare_diff", { label: d.from.slice(0, 8) }), " → ", d.to.slice(0, 8)),
    el("p", {}, `${t("moved_n", { n: d.moved.length })} · ${d.added.length} ${t("added")} · ${d.cancelled.length} ${t("cancelled")}`),
    d.sessions.length ? el("div", { class: "scroll" }, el("table", { class: "data compact diff-table" },
      el("thead", {}, el("tr", {}, ...["", t("before"), t("after")].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, ...d.sessions.map((s) => el("tr", { class: `change ${s.change}`, dataset: { session: s.id, change: s.change } },
        el("th", { scope: "row" }, `${t(s.change)}: ${s.id}`), el("td", {}, when(s.before)), el("td", {}, when(s.after))))))) : null);
}

run(async () => {
  const ids = (page.schedules_ref || "").split(",").map((x) => x.trim()).filter(Boolean);
  const kpiBox = document.getElementById("compare-kpis");
  let result;
  try {
    result = await api(`/compare?schedules=${encodeURIComponent(ids.join(","))}`);
  } catch (err) {
    kpiBox.replaceChildren(el("p", { class: "status error" }, t("compare_unavailable", { detail: errorText(err) })));
    return;
  }
  result.ids = result.schedules.map((r, i) => r.label || ids[i]);  // the API labels each row with its schedule id
  kpiBox.replaceChildren(kpiTable(result, await objectiveTerms()));
  const docs = await Promise.all(ids.map((x) => api(`/board/schedules/${x}`).then(prepare)));
  document.getElementById("compare-diffs").replaceChildren(...(result.differences || []).map((d, i) => diffTable(d, docs[i + 1])));
  const tls = document.getElementById("compare-timelines");
  tls.replaceChildren();
  (result.differences || []).forEach((d, i) => {
    const doc = docs[i + 1];
    const marked = new Set([...d.moved, ...d.added]);
    const first = doc.sessions.find((s) => marked.has(s.id));
    const box = el("div", { id: `compare-tl-${i}`, class: "card" });
    tls.append(el("h2", {}, t("compare_timeline", { label: `${doc.scenario_name} (${ids[i + 1].slice(0, 8)})` })), box);
    timeline(box, doc, { idPrefix: `ctl${i}`, rows: "trainer", zoom: "week", highlight: marked, start: first ? first._day : undefined });
  });
});
