// A schedule: timeline, list, staffing per team, KPI cards and costs, unscheduled sessions with
// their explanations, calendar feed links. A manager sees their workplace's view only (the API
// gives nothing else), without costs.

import { api, el, errorText, fmtDateTime, fmtDay, fmtNumber, fmtPercent, fmtTime, href, lang, objectiveTerms, page, run, status, t, tabs } from "../js/core.js";
import { bars, staffingChart } from "../js/charts.js";
import { prepare, timeline } from "../js/timeline.js";
import { reviewPanel } from "../js/review_panel.js";

const id = page.schedule_ref;

function kpiCard(key, label, value, text) {
  return el("div", { class: "kpi", dataset: { kpi: key, value: value ?? "" } },
    el("div", { class: "kpi-value" }, text ?? fmtNumber(value)), el("div", { class: "kpi-label" }, label));
}

// ------------------------------------------------------------------ KPIs and costs

function kpiPanel(doc, me, terms) {
  const box = document.getElementById("kpis");
  if (me.role === "manager") {
    const participants = doc.cohorts.reduce((n, c) => n + c.size, 0);
    const tight = doc.staffing.filter((x) => x.tightest_margin !== null && x.tightest_margin <= 0).length;
    box.replaceChildren(el("div", { class: "kpis" },
      kpiCard("sessions", t("kpi_sessions"), doc.sessions.length),
      kpiCard("unscheduled", t("kpi_unscheduled"), doc.unscheduled.length),
      kpiCard("cohorts", t("kpi_cohorts"), doc.cohorts.length),
      kpiCard("participants", t("kpi_participants"), participants),
      kpiCard("teams_tight", t("kpi_teams_tight"), tight)));
    return;
  }
  const k = doc.kpis || {};
  const gap = doc.objective && doc.bound !== null && doc.bound !== undefined ? (doc.objective - doc.bound) / Math.abs(doc.objective) : null;
  const cards = el("div", { class: "kpis" },
    kpiCard("objective", t("kpi_objective"), doc.objective),
    kpiCard("bound", t("kpi_bound"), doc.bound),
    kpiCard("gap", t("kpi_gap"), gap, fmtPercent(gap)),
    kpiCard("sessions_scheduled", t("kpi_scheduled"), k.sessions_scheduled, `${fmtNumber(k.sessions_scheduled)} / ${fmtNumber(k.sessions_total)}`),
    kpiCard("unscheduled", t("kpi_unscheduled"), (k.sessions_total ?? 0) - (k.sessions_scheduled ?? 0)),
    kpiCard("backfill_hours", t("kpi_backfill"), k.backfill_hours, fmtNumber(k.backfill_hours, 1)),
    kpiCard("overtime_hours", t("kpi_overtime"), k.overtime_hours, fmtNumber(k.overtime_hours, 1)),
    kpiCard("travel_minutes", t("kpi_travel"), k.travel_minutes),
    kpiCard("unassigned", t("kpi_unassigned"), doc.unassigned_participants));
  const breakdown = k.objective_breakdown || {};
  const items = terms.filter((x) => x.term in breakdown).map((x) => ({ key: x.term, label: x.label, value: breakdown[x.term] }));
  const details = el("div", { id: "cost-details" });
  const more = el("button", { type: "button", id: "load-cost-details" }, t("cost_details"));
  more.addEventListener("click", () => explanation(doc, details, more));
  const costs = el("section", { class: "card", "aria-labelledby": "h-costs" }, el("h2", { id: "h-costs" }, t("cost_breakdown")));
  const barBox = el("div", { class: "bars", id: "cost-bars" });
  barBox.innerHTML = bars(items);
  costs.append(barBox, more, details);
  box.replaceChildren(cards, costs);
}

const DIM_NAMES = { action_plan: "plans", workplace: "workplaces", team: "teams", trainer: "trainers", interpreter: "interpreters" };

/** The display name of a cost dimension's key (a week or an unknown id as it is). */
function nameOf(doc, dim, key) {
  const table = doc.names[DIM_NAMES[dim]] || {};
  return table[key] && table[key] !== key ? `${table[key]} (${key})` : key;
}

let explanationPromise = null;

/** The explanation of this schedule (costs by dimension, findings); fetched once. */
function fetchExplanation() {
  explanationPromise ??= api(`/schedules/${id}/explanation?time_limit=5`);
  return explanationPromise;
}

async function explanation(doc, details, button) {
  button.disabled = true;
  details.textContent = t("loading");
  try {
    const ex = await fetchExplanation();
    details.replaceChildren(...(ex.costs?.terms || []).filter((term) => term.amount).map((term) => el("details", { class: "term" },
      el("summary", {}, `${term.label || t(`term_${term.term}`)}: ${fmtNumber(term.amount)} (${fmtNumber(term.share, 1)} %)`),
      ...Object.entries(term.by || {}).filter(([, list]) => list && list.length).map(([dim, list]) => el("div", { class: "by" },
        el("h4", {}, t(`cost_by_${dim}`)),
        el("table", { class: "data compact" }, el("tbody", {}, ...list.slice(0, 10).map((x) => el("tr", {},
          el("th", { scope: "row" }, nameOf(doc, dim, String(x.key ?? x.id ?? ""))),
          el("td", { class: "num" }, fmtNumber(x.amount)))))))))));
  } catch (err) {
    details.textContent = errorText(err);
  }
  button.disabled = false;
}

// ------------------------------------------------------------------ list

function agenda(doc) {
  const n = doc.names;
  const table = el("table", { class: "data agenda", id: "agenda-table" },
    el("thead", {}, el("tr", {}, ...[t("date"), t("time"), t("module"), t("cohort"), t("kpi_participants"), t("trainer"), t("room"), t("interpreters")]
      .map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...doc.sessions.map((s) => el("tr", { dataset: { session: s.id } },
      el("td", { "data-label": t("date") }, fmtDay(s._day, { weekday: "short", year: "numeric", month: "2-digit", day: "2-digit" })),
      el("td", { "data-label": t("time") }, `${fmtTime(s.start, doc.timezone)}–${fmtTime(s.end, doc.timezone)}`),
      el("th", { scope: "row", "data-label": t("module") }, el("span", {}, `${n.modules[s.module] || s.module} `,
        el("span", { class: "muted" }, t("session_of", { n: s.index, m: s.of })))),
      el("td", { "data-label": t("cohort") }, s.cohort),
      el("td", { class: "num", "data-label": t("kpi_participants"), dataset: { value: s.size } }, fmtNumber(s.size)),
      el("td", { "data-label": t("trainer") }, n.trainers[s.trainer] || s.trainer),
      el("td", { "data-label": t("room") }, s.room ? `${n.rooms[s.room] || s.room}${s.site ? `, ${n.sites[s.site] || s.site}` : ""}` : t("remote")),
      el("td", { "data-label": t("interpreters") }, s.interpreters.map((i) => n.interpreters[i] || i).join(", "))))));
  document.getElementById("agenda").replaceChildren(el("div", { class: "scroll" }, table));
}

// ------------------------------------------------------------------ staffing

function staffing(doc) {
  const box = document.getElementById("staffing");
  if (!doc.staffing.length) {
    box.replaceChildren(el("p", {}, t("staffing_none")));
    return;
  }
  const detail = el("div", { id: "team-detail", class: "card" });
  function showTeam(team) {
    for (const tr of box.querySelectorAll("tr[data-team]")) tr.classList.toggle("selected", tr.dataset.team === team.id);
    const chart = el("div", { class: "chart-box" });
    chart.innerHTML = staffingChart(team, Math.max(320, Math.min(900, box.clientWidth - 30)));
    detail.replaceChildren(el("h3", {}, doc.names.teams[team.id] || team.id),
      el("p", { class: "muted" }, `${t("col_slack")}: ${team.slack} · ${t("shifts_with_training", { n: team.training_shifts })}`),
      chart,
      el("div", { class: "scroll" }, el("table", { class: "data compact", id: "shift-table" },
        el("thead", {}, el("tr", {}, ...[t("date"), t("col_shift"), t("time"), t("col_load"), t("col_slack"), t("col_left")]
          .map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, ...team.shifts.map((r) => el("tr", { class: r.margin !== null && r.margin <= 0 ? "tight" : "",
                                                            dataset: { date: r.date, load: r.load, margin: r.margin ?? "" } },
          el("td", {}, fmtDay(r.date, { weekday: "short", year: "numeric", month: "2-digit", day: "2-digit" })), el("td", {}, r.shift),
          el("td", {}, `${fmtTime(r.start, doc.timezone)}–${fmtTime(r.end, doc.timezone)}`),
          el("td", { class: "num" }, fmtNumber(r.load)), el("td", { class: "num" }, fmtNumber(r.slack)),
          el("td", { class: "num" }, fmtNumber(r.margin))))))));
  }
  const table = el("table", { class: "data", id: "team-table" },
    el("thead", {}, el("tr", {}, ...[t("col_team"), t("col_slack"), t("col_peak"), t("col_tightest"), t("col_tight_days")]
      .map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...doc.staffing.map((team) => {
      const button = el("button", { type: "button", class: "link" }, doc.names.teams[team.id] || team.id);
      button.addEventListener("click", () => showTeam(team));
      const tight = team.tightest_margin !== null && team.tightest_margin <= 0;
      return el("tr", { class: tight ? "tight" : "", dataset: { team: team.id, margin: team.tightest_margin ?? "", peak: team.peak_load } },
        el("th", { scope: "row", "data-label": t("col_team") }, button),
        el("td", { class: "num", "data-label": t("col_slack") }, fmtNumber(team.slack)),
        el("td", { class: "num", "data-label": t("col_peak") }, fmtNumber(team.peak_load)),
        el("td", { class: "num", "data-label": t("col_tightest") }, fmtNumber(team.tightest_margin)),
        el("td", { "data-label": t("col_tight_days") }, team.tightest_days.slice(0, 4).map((d) => fmtDay(d)).join(", ")
          + (team.tightest_days.length > 4 ? ` … (${team.tightest_days.length})` : "")));
    })));
  box.replaceChildren(el("p", { class: "muted" }, t("staffing_help")), el("div", { class: "scroll" }, table), detail);
  showTeam(doc.staffing[0]);
}

// ------------------------------------------------------------------ unscheduled

function unscheduled(doc, me) {
  const box = document.getElementById("unscheduled");
  const n = doc.names;
  const list = doc.unscheduled.length
    ? el("table", { class: "data", id: "unscheduled-table" },
        el("thead", {}, el("tr", {}, ...[t("module"), t("cohort"), t("kpi_participants"), t("reason")].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, ...doc.unscheduled.map((u) => el("tr", {},
          el("th", { scope: "row" }, `${n.modules[u.module] || u.module} ${t("session_of", { n: u.index, m: u.of })}`),
          el("td", {}, u.cohort), el("td", { class: "num" }, fmtNumber(u.size)), el("td", {}, (lang === "sv" && u.reason_sv) || u.reason)))))
    : el("p", { id: "unscheduled-none" }, t("unscheduled_none"));
  box.replaceChildren(el("h2", {}, t("unscheduled_title")), list);
  if (me.role === "manager") return;
  const findings = el("div", { id: "findings" });
  const button = el("button", { type: "button", id: "load-explanations" }, t("explain_load"));
  button.addEventListener("click", async () => {
    button.disabled = true;
    findings.textContent = t("loading");
    try {
      const ex = await fetchExplanation();
      findings.replaceChildren(...ex.findings.map((f) => el("article", { class: `finding ${f.severity}`, dataset: { rule: f.rule } },
        el("p", {}, f.message),
        f.suggestions?.length ? el("details", {}, el("summary", {}, t("suggestions")),
          el("ul", {}, ...f.suggestions.map((s) => el("li", {}, s.message)))) : null)));
      if (!ex.findings.length) findings.textContent = "–";
    } catch (err) { findings.textContent = errorText(err); }
    button.disabled = false;
  });
  box.append(el("h2", {}, t("explanations_title")), button, findings);
}

// ------------------------------------------------------------------ feeds

async function feeds() {
  const box = document.getElementById("feeds");
  box.textContent = t("loading");
  try {
    const data = await api(`/schedules/${id}/calendars`);
    box.replaceChildren(el("p", { class: "muted" }, t("feeds_help")), el("ul", { class: "feeds", id: "feed-list" }, ...data.feeds.map((f, i) => {
      const input = el("input", { type: "text", readonly: true, value: f.url, id: `feed-${i}`, class: "feed-url", "aria-label": `${f.kind} ${f.name}` });
      const button = el("button", { type: "button", class: "copy", "aria-describedby": `feed-${i}` }, t("copy_link"));
      button.addEventListener("click", async () => {
        try { await navigator.clipboard.writeText(f.url); } catch {
          input.select();
          document.execCommand("copy");
        }
        button.textContent = t("copied");
        button.dataset.copied = "1";
      });
      return el("li", { dataset: { kind: f.kind, entity: f.entity_id } }, el("span", { class: "feed-name" }, `${f.kind}: ${f.name}`), input, button);
    })));
  } catch (err) { box.textContent = errorText(err); }
}

// ------------------------------------------------------------------ actions

function actions(doc, me) {
  const box = document.getElementById("schedule-actions");
  const s = doc.schedule;
  if (me.role === "manager") return;
  const review = el("section", { id: "review-panel", class: "card" });  // review before publishing (issue 15)
  box.after(review);
  reviewPanel(review, s.id, me, { published: s.published }).catch((err) => status(errorText(err), "error"));
  box.append(el("a", { class: "button", href: href(`/board/scenarios/${s.scenario}`), id: "to-scenario" }, `${t("solve")} / ${t("variant_form_title")}`));
  if (s.baseline) {
    box.append(el("a", { class: "button", id: "compare-baseline", href: href("/board/compare", { schedules: `${s.baseline},${s.id}` }) }, t("compare_with_baseline")));
  }
  if (!s.published && me.role === "coordinator") {  // only a coordinator changes what the calendars show
    const pub = el("button", { type: "button", id: "publish" }, t("publish"));
    pub.addEventListener("click", async () => {
      pub.disabled = true;
      try {
        const r = await api(`/schedules/${s.id}/publish`, { method: "POST" });
        status(t("published", { revision: r.revision }));
      } catch (err) { status(errorText(err), "error"); pub.disabled = false; }
    });
    box.append(pub);
  }
}

run(async (me) => {
  const t0 = performance.now();
  const [raw, terms] = await Promise.all([api(`/board/schedules/${id}`), me.role === "manager" ? [] : objectiveTerms()]);
  const doc = prepare(raw);
  const title = me.role === "manager"
    ? t("workplace_title", { name: doc.names.workplaces[me.workplace] || me.workplace })
    : `${t("schedule_title")}: ${doc.scenario_name}`;
  document.getElementById("page-title").textContent = title;
  document.title = `${title} · ${t("app_title")}`;
  const s = doc.schedule;
  document.getElementById("schedule-meta").textContent = `${s.revision == null ? t("draft") : `#${s.revision}`} · ${t(`status_${doc.status}`)} · ${fmtDateTime(s.created_at)}`
    + (s.variant_parent ? ` · ${t("variant_of", { name: s.variant_parent })}` : "")
    + ` · ${doc.horizon ? `${fmtDay(doc.horizon.start)} – ${fmtDay(doc.horizon.end)}` : ""}`;
  actions(doc, me);
  const drawn = new Set();
  const tl = { current: null };
  if (!window.location.hash && window.innerWidth < 640) history.replaceState(null, "", "#agenda");  // a phone: the list
  tabs(document.getElementById("tabs"), (name) => {
    if (drawn.has(name)) return;
    drawn.add(name);
    if (name === "timeline") tl.current = timeline(document.getElementById("timeline"), doc, { rows: me.role === "manager" ? "cohort" : "trainer" });
    if (name === "agenda") agenda(doc);
    if (name === "staffing") staffing(doc);
    if (name === "kpis") kpiPanel(doc, me, terms);
    if (name === "unscheduled") unscheduled(doc, me);
    if (name === "feeds") feeds();
  });
  document.getElementById("tab-unscheduled").textContent = `${t("tab_unscheduled")} (${doc.unscheduled.length})`;
  // milliseconds from the start of navigation to a drawn schedule, and of this page's own work
  document.body.dataset.renderMs = String(Math.round(performance.now()));
  document.body.dataset.scriptMs = String(Math.round(performance.now() - t0));
  window.addEventListener("resize", () => tl.current && tl.current.render());
});
