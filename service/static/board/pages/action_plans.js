// A workplace's action plans (handlingsplaner): its teams as the programme has them, its plans
// with their status, the plan form (track, participants per team, language, dates, permissions,
// note) with the pre-solve feedback of the last save and every error next to its field; save as
// draft, submit, withdraw; each plan's history. A manager sees only their own workplace: the API
// gives them nothing else.

import { ApiError, api, el, errorText, fmtDateTime, fmtDay, href, page, run, status, t } from "../js/core.js";
import { planDoc, planKey, showErrors, clearErrors } from "../js/plans.js";

const id = page.scenario_ref;
let ctx = null;           // the programme as the form needs it (plan-context)
let workplace = null;     // the workplace whose plans are shown
let editing = null;       // the plan open in the form (the API's answer) or null for a new one

// ------------------------------------------------------------------ teams

function teamCard(team) {
  const shifts = team.shifts.map((s) => `${s.id} ${s.start}–${s.end}`).join(", ");
  return el("li", { class: "team", dataset: { team: team.id } },
    el("h3", {}, team.id),
    el("dl", { class: "pairs" },
      el("dt", {}, t("plans_pattern")), el("dd", {}, `${team.pattern}: `, el("span", { class: "cycle" }, team.cycle.join(" "))),
      el("dt", {}, t("plans_shifts")), el("dd", {}, shifts || "–"),
      el("dt", {}, t("plans_headcount")), el("dd", { dataset: { figure: "headcount" } }, String(team.headcount ?? "–")),
      el("dt", {}, t("plans_min_staffing")), el("dd", {}, String(team.min_staffing ?? "–")),
      el("dt", {}, t("col_slack")), el("dd", { dataset: { figure: "slack" } }, String(team.slack ?? "–"))));
}

function showTeams() {
  const teams = ctx.workplace?.teams || [];
  document.getElementById("teams").replaceChildren(teams.length
    ? el("ul", { class: "teams", id: "team-list" }, ...teams.map(teamCard))
    : el("p", { class: "muted" }, t("plans_no_teams")));
}

function showCurrentPlans() {
  const plans = ctx.workplace?.current_plans || [];
  document.getElementById("current-plans").replaceChildren(plans.length
    ? el("ul", { class: "current-plans", id: "current-plan-list" }, ...plans.map((p) => el("li", { dataset: { plan: p.id } },
      el("strong", {}, p.id), ` · ${p.track} · ${fmtDay(p.earliest)}–${fmtDay(p.deadline)} · `,
      Object.entries(p.participants_per_team).map(([team, n]) => `${team}: ${n}`).join(", "), " ",
      el("button", { type: "button", class: "take-plan", dataset: { plan: p.id }, onclick: () => takePlan(p) },
        t("plans_current_take")))))
    : el("p", { class: "muted" }, t("plans_current_none")));
}

/** A plan of the current version becomes a draft of this workplace (same id), to edit or submit as it is. */
async function takePlan(p) {
  try {
    await api(`/scenarios/${id}/action-plans`, { method: "POST", body: p.document });
    status(t("plans_current_taken", { plan: p.id }));
    await loadPlans();
  } catch (err) {
    status(errorText(err), "error");
  }
}

// ------------------------------------------------------------------ the list of plans

function statusBadge(s) {
  return el("span", { class: `badge status-${s}`, dataset: { status: s } }, t(`plan_status_${s}`));
}

function participantsSummary(doc) {
  return (doc.participants || []).map((p) => (p.count ? `${p.count} × ${p.team}` : `${p.id} (${p.team})`)).join(", ");
}

function trackName(trackId) {
  return ctx.tracks.find((x) => x.id === trackId)?.name || trackId || "–";
}

async function loadPlans() {
  const all = await api(`/scenarios/${id}/action-plans`);
  const mine = all.filter((p) => (planDoc(p).workplace ?? p.workplace) === workplace);
  const box = document.getElementById("plans");
  if (!mine.length) {
    box.replaceChildren(el("p", { class: "muted", id: "plans-empty" }, t("plans_none")));
    return mine;
  }
  box.replaceChildren(el("ul", { class: "plan-list", id: "plan-list" }, ...mine.map((p) => {
    const doc = planDoc(p);
    return el("li", { class: "plan-item", dataset: { plan: planKey(p), status: p.status } },
      el("div", { class: "plan-head" }, el("strong", {}, doc.id || planKey(p)), " ", statusBadge(p.status)),
      el("div", {}, trackName(doc.track)),
      el("div", { class: "muted small" }, participantsSummary(doc)),
      el("div", { class: "muted small" }, `${t("earliest")} ${fmtDay(doc.earliest)} · ${t("deadline")} ${fmtDay(doc.deadline)}`),
      el("button", { type: "button", class: "big secondary open-plan", onclick: () => openPlan(p) }, t("plan_open")));
  })));
  return mine;
}

// ------------------------------------------------------------------ the form

const form = () => document.getElementById("plan-form");

function teamOptions(selected) {
  return (ctx.workplace?.teams || []).map((tm) => el("option", { value: tm.id, selected: tm.id === selected }, tm.id));
}

function participantRow(p = {}) {
  const kind = p.id ? "id" : "count";
  const row = el("div", { class: "participant-row" });
  const langList = "p-languages";
  const team = el("select", { name: "team", "aria-label": t("plan_team") }, ...teamOptions(p.team));
  const kindSel = el("select", { name: "kind", "aria-label": t("plan_kind") },
    el("option", { value: "count", selected: kind === "count" }, t("plan_kind_count")),
    el("option", { value: "id", selected: kind === "id" }, t("plan_kind_id")));
  const value = el("input", { name: "value", type: kind === "count" ? "number" : "text", min: 1, inputmode: kind === "count" ? "numeric" : null,
                              value: kind === "count" ? (p.count ?? 1) : p.id, "aria-label": t("plan_value"), autocomplete: "off" });
  const language = el("input", { name: "language", type: "text", list: langList, value: p.language || "",
                                 "aria-label": t("plan_language"), placeholder: t("plan_language_none"), autocomplete: "off" });
  kindSel.addEventListener("change", () => {
    value.type = kindSel.value === "count" ? "number" : "text";
    value.value = kindSel.value === "count" ? "1" : "";
  });
  const remove = el("button", { type: "button", class: "secondary remove-row", "aria-label": t("plan_remove_row") }, "✕");
  remove.addEventListener("click", () => { row.remove(); renumber(); });
  row.append(
    el("label", { class: "sub" }, el("span", {}, t("plan_team")), team),
    el("label", { class: "sub" }, el("span", {}, t("plan_kind")), kindSel),
    el("label", { class: "sub" }, el("span", {}, t("plan_value")), value),
    el("label", { class: "sub" }, el("span", {}, t("plan_language")), language),
    remove);
  return row;
}

/** Each participant row carries its JSON path, so that an error lands next to it. */
function renumber() {
  document.querySelectorAll("#participants .participant-row").forEach((row, i) => {
    row.dataset.path = `$.participants[${i}]`;
    for (const [name, key] of [["team", "team"], ["language", "language"]]) {
      row.querySelector(`[name=${name}]`).closest("label").dataset.path = `$.participants[${i}].${key}`;
    }
    const kind = row.querySelector("[name=kind]").value;
    row.querySelector("[name=value]").closest("label").dataset.path = `$.participants[${i}].${kind}`;
  });
}

function fillForm(doc) {
  const f = form();
  f.elements.id.value = doc.id || "";
  f.elements.track.value = doc.track || ctx.tracks[0]?.id || "";
  showModules();
  const rows = (doc.participants && doc.participants.length) ? doc.participants : [{ team: ctx.workplace?.teams[0]?.id, count: 1 }];
  document.getElementById("participants").replaceChildren(...rows.map(participantRow));
  renumber();
  for (const k of ["earliest", "deadline", "target"]) f.elements[k].value = doc[k] || "";
  f.elements.allow_on_shift.checked = doc.allow_on_shift ?? true;
  f.elements.allow_off_shift.checked = doc.allow_off_shift ?? false;
  f.elements.note.value = doc.note || "";
}

/** The plan the form describes, in the format's action-plan shape plus the note. */
function formDoc() {
  const f = form();
  const doc = { workplace, track: f.elements.track.value, participants: [],
                allow_on_shift: f.elements.allow_on_shift.checked, allow_off_shift: f.elements.allow_off_shift.checked };
  if (f.elements.id.value.trim()) doc.id = f.elements.id.value.trim();
  for (const row of document.querySelectorAll("#participants .participant-row")) {
    const team = row.querySelector("[name=team]").value;
    const kind = row.querySelector("[name=kind]").value;
    const raw = row.querySelector("[name=value]").value.trim();
    const p = { team };
    if (kind === "count") p.count = raw === "" ? null : Number(raw);
    else p.id = raw;
    const language = row.querySelector("[name=language]").value.trim();
    if (language) p.language = language;
    doc.participants.push(p);
  }
  for (const k of ["earliest", "deadline", "target"]) if (f.elements[k].value) doc[k] = f.elements[k].value;
  if (f.elements.note.value.trim()) doc.note = f.elements.note.value.trim();
  return doc;
}

function showModules() {
  const track = ctx.tracks.find((x) => x.id === form().elements.track.value);
  document.getElementById("p-track-modules").textContent = track
    ? `${t("plan_modules")}: ${track.modules.map((m) => `${m.name} (${t("plan_sessions", { n: m.sessions })})`).join(" → ")}`
      + ` · ${t("plan_group", { min: track.min_group, max: track.max_group })}`
    : "";
}

/** The feedback of the plan's last save: each team's staffing slack, the diagnosis's findings
 *  about the plan (with suggestions), and a note when the diagnosis did not finish in time. */
function showFeedback(feedback) {
  const box = document.getElementById("plan-feedback");
  const fb = feedback || {};
  const items = [
    ...(fb.teams || []).map((x) => el("li", { class: `feedback team-note ${x.severity || ""}`, dataset: { team: x.team, severity: x.severity || "" } }, x.message)),
    ...(fb.findings || []).map((f) => el("li", { class: `feedback finding ${f.severity || ""}`, dataset: { rule: f.rule || "", severity: f.severity || "" } },
      f.message, (f.suggestions || []).length
        ? el("ul", { class: "suggestions" }, ...f.suggestions.map((g) => el("li", {}, g.message ?? g.text ?? JSON.stringify(g))))
        : null)),
    fb.note ? el("li", { class: "feedback muted" }, fb.note) : null,
  ].filter(Boolean);
  box.dataset.count = String(items.length);
  box.replaceChildren(...(items.length ? items : [el("li", { class: "muted" }, t("plan_feedback_none"))]));
}

function showState() {
  const s = editing?.status;
  document.getElementById("plan-state").replaceChildren(...(s
    ? [t("plan_state"), " ", statusBadge(s)]
    : [t("plan_state_new")]));
  document.getElementById("plan-editor").dataset.status = s || "new";
  document.getElementById("plan-withdraw").hidden = s !== "submitted";
  document.getElementById("plan-delete").hidden = !editing || s === "submitted";
}

async function loadHistory() {
  const box = document.getElementById("plan-history");
  if (!editing) { box.replaceChildren(); return; }
  const events = await api(`/scenarios/${id}/action-plans/${planKey(editing)}/history`);
  const list = Array.isArray(events) ? events : (events.events || []);
  box.replaceChildren(...list.slice().reverse().map((e) => {
    const role = e.by?.role ?? e.role;
    const who = e.by?.token ?? (typeof e.by === "string" ? e.by : null);
    return el("li", { class: "event", dataset: { action: e.action, version: e.version ?? "" } },
      el("strong", {}, t(`plan_action_${e.action}`)), " · ", el("time", { datetime: e.at }, fmtDateTime(e.at)), " · ",
      role ? t(`role_${role}`, { workplace }) : "", who ? el("span", { class: "muted small" }, ` (${t("plan_token", { id: who.slice(0, 8) })})`) : null,
      e.status ? el("span", { class: "muted" }, ` → ${t(`plan_status_${e.status}`)}`) : null);
  }));
}

function openPlan(p) {
  editing = p;
  clearErrors();
  fillForm(planDoc(p));
  showFeedback(p.feedback);
  showState();
  document.getElementById("plan-editor").hidden = false;
  loadHistory().catch((err) => status(errorText(err), "error"));
  document.getElementById("h-form").scrollIntoView({ block: "start" });
}

function newPlan() {
  editing = null;
  clearErrors();
  fillForm({});
  showFeedback([]);
  showState();
  document.getElementById("plan-history").replaceChildren();
  document.getElementById("plan-editor").hidden = false;
}

/** Save what the form shows (create or replace); returns the stored plan or null after showing errors. */
async function save() {
  clearErrors();
  status("");
  const doc = formDoc();
  try {
    const saved = editing
      ? await api(`/scenarios/${id}/action-plans/${planKey(editing)}`,
        { method: "PUT", body: doc, headers: { "If-Match": `"v${editing.version}"` } })  // never overwrite another's change
      : await api(`/scenarios/${id}/action-plans`, { method: "POST", body: doc });
    editing = saved;
    form().elements.id.value = planDoc(saved).id || "";
    showFeedback(saved.feedback);
    showState();
    return saved;
  } catch (err) {
    if (err instanceof ApiError && err.status === 422) {
      showErrors(err.body?.errors || [], err.message);
      if (err.body?.feedback) showFeedback(err.body.feedback);
      status(t("plan_has_errors"), "error");
      return null;
    }
    throw err;
  }
}

async function act(what) {
  try {
    const done = await api(`/scenarios/${id}/action-plans/${planKey(editing)}/${what}`, { method: "POST" });
    editing = done?.status ? done : { ...editing, status: what === "submit" ? "submitted" : "withdrawn" };
    if (done?.feedback) showFeedback(done.feedback);
    showState();
    status(t(`plan_${what}_done`));
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 422) {
      showErrors(err.body?.errors || [], err.message);
      status(t("plan_has_errors"), "error");
      return false;
    }
    throw err;
  }
}

async function after() {
  await loadPlans();
  await loadHistory();
}

function wire() {
  const f = form();
  f.elements.track.replaceChildren(...ctx.tracks.map((x) => el("option", { value: x.id }, x.name === x.id ? x.id : `${x.name} (${x.id})`)));
  f.elements.track.addEventListener("change", showModules);
  document.body.append(el("datalist", { id: "p-languages" }, ...ctx.languages.map((l) => el("option", { value: l }))));
  const hz = ctx.horizon || {};
  for (const k of ["earliest", "deadline", "target"]) {
    if (hz.start) f.elements[k].min = hz.start;
    if (hz.end) f.elements[k].max = hz.end;
  }
  document.getElementById("add-participants").addEventListener("click", () => {
    document.getElementById("participants").append(participantRow({ team: ctx.workplace?.teams[0]?.id, count: 1 }));
    renumber();
  });
  document.getElementById("plan-new").addEventListener("click", newPlan);
  const guard = (fn) => async (e) => {
    e?.preventDefault?.();
    const buttons = f.querySelectorAll("button");
    buttons.forEach((b) => { b.disabled = true; });
    try { await fn(); } catch (err) { status(errorText(err), "error"); } finally { buttons.forEach((b) => { b.disabled = false; }); }
  };
  f.addEventListener("submit", guard(async () => {
    if (await save()) { status(t("plan_saved")); await after(); }
  }));
  document.getElementById("plan-submit").addEventListener("click", guard(async () => {
    if (await save() && await act("submit")) await after();
  }));
  document.getElementById("plan-withdraw").addEventListener("click", guard(async () => {
    if (await act("withdraw")) await after();
  }));
  document.getElementById("plan-delete").addEventListener("click", guard(async () => {
    if (!window.confirm(t("plan_delete_confirm"))) return;
    await api(`/scenarios/${id}/action-plans/${planKey(editing)}`, { method: "DELETE" });
    status(t("plan_deleted"));
    editing = null;
    document.getElementById("plan-editor").hidden = true;
    await loadPlans();
  }));
}

run(async (me) => {
  const wanted = new URLSearchParams(window.location.search).get("workplace");
  const query = me.role === "manager" || !wanted ? "" : `?workplace=${encodeURIComponent(wanted)}`;
  ctx = await api(`/board/scenarios/${id}/plan-context${query}`);
  if (me.role !== "manager" && !ctx.workplace && ctx.workplaces.length) {
    ctx = await api(`/board/scenarios/${id}/plan-context?workplace=${encodeURIComponent(ctx.workplaces[0].id)}`);
  }
  workplace = ctx.workplace?.id ?? me.workplace;
  showCurrentPlans();
  document.getElementById("page-title").textContent = t("plans_title_for", { workplace: ctx.workplace?.name || workplace });
  document.title = `${t("plans_title")} · ${ctx.workplace?.name || workplace}`;
  document.getElementById("plans-programme").textContent = t("plans_programme",
    { name: ctx.name, start: fmtDay(ctx.horizon?.start), end: fmtDay(ctx.horizon?.end) });
  if (me.role !== "manager") {
    const choice = document.getElementById("workplace-choice");
    const select = document.getElementById("workplace-select");
    select.replaceChildren(...ctx.workplaces.map((w) => el("option", { value: w.id, selected: w.id === workplace }, w.name)));
    select.addEventListener("change", () => { window.location.href = href(`/board/scenarios/${id}/action-plans`, { workplace: select.value }); });
    choice.hidden = false;
  }
  showTeams();
  wire();
  if (me.role === "planner") {  // planners read plans; managers and coordinators write them
    for (const b of document.querySelectorAll("#plan-new, #plan-form .buttons, #add-participants")) b.hidden = true;
  }
  await loadPlans();
});
