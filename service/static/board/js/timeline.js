// The schedule as a timeline: one row per trainer, room, workplace, team or cohort (switchable),
// a window of one day, one week or five weeks (zoom), drawn as one SVG. Sessions are laid out in
// the scenario's local wall time (a day's columns cover the hours in which sessions happen), and
// each is a focusable block: Enter or a click shows its details below.

import { dayIndex, dayOf, el, esc, fmtDay, fmtTime, localParts, t } from "./core.js";

const ZOOM_DAYS = { day: 1, week: 7, month: 35 };
const LANE_H = 30;
const HEAD_H = 38;
const PALETTE = ["#cfe3ff", "#d7f0d0", "#ffe2b8", "#f3d2f0", "#d2f0ef", "#f7f1b5", "#e3dcff", "#ffd6d6", "#dfe7c8", "#e8e1d6"];

/** Row keys of a session in a row mode. */
function rowKeys(s, mode) {
  switch (mode) {
    case "trainer": return [s.trainer];
    case "room": return [s.room || "__remote"];
    case "workplace": return s.workplaces.length ? s.workplaces : ["__none"];
    case "team": return s.teams.length ? s.teams : ["__none"];
    default: return [s.cohort];
  }
}

/** Display name of a row key. */
function rowLabel(key, mode, names) {
  if (key === "__remote") return t("remote");
  if (key === "__none") return "–";
  const table = { trainer: names.trainers, room: names.rooms, workplace: names.workplaces, team: names.teams }[mode];
  return (table && table[key]) || key;
}

function colour(module, modules) {
  const i = modules.indexOf(module);
  return PALETTE[(i < 0 ? 0 : i) % PALETTE.length];
}

/** The sentence a session is read out as (also its tooltip). */
export function describe(s, doc) {
  const n = doc.names;
  const place = s.room ? `${n.rooms[s.room] || s.room}${s.site ? `, ${n.sites[s.site] || s.site}` : ""}` : t("remote");
  return `${n.modules[s.module] || s.module} ${t("session_of", { n: s.index, m: s.of })} · ${s.cohort} · `
    + `${t("participants_n", { n: s.size })} · ${fmtDay(s._day)} ${fmtTime(s.start, doc.timezone)}–${fmtTime(s.end, doc.timezone)}`
    + ` · ${n.trainers[s.trainer] || s.trainer} · ${place}`
    + (s.interpreters.length ? ` · ${t("interpreters")}: ${s.interpreters.map((i) => n.interpreters[i] || i).join(", ")}` : "");
}

/** Local day, minute of day and duration of every session, computed once per document. */
export function prepare(doc) {
  if (doc._prepared) return doc;
  for (const s of doc.sessions) {
    const p = localParts(s.start, doc.timezone);
    s._day = p.day;
    s._dayIdx = dayIndex(p.day);
    s._min = p.minutes;
    s._dur = (Date.parse(s.end) - Date.parse(s.start)) / 60000;
  }
  const mins = doc.sessions.map((s) => s._min);
  const ends = doc.sessions.map((s) => Math.min(s._min + s._dur, 1440));
  doc._hour0 = mins.length ? Math.max(0, Math.floor(Math.min(...mins) / 60) - 1) : 7;
  doc._hour1 = ends.length ? Math.min(24, Math.ceil(Math.max(...ends) / 60) + 1) : 18;
  if (doc._hour1 - doc._hour0 < 4) doc._hour1 = Math.min(24, doc._hour0 + 4);
  doc._modules = [...new Set(doc.sessions.map((s) => s.module))].sort();
  doc._prepared = true;
  return doc;
}

/** Monday on or before a day index (1970-01-01 was a Thursday). */
function monday(idx) {
  return idx - ((idx + 3) % 7);
}

/** Lay out a window's sessions in rows and lanes (overlapping sessions of a row get lanes). */
function layout(doc, mode, first, days) {
  const rows = new Map();
  for (const s of doc.sessions) for (const k of rowKeys(s, mode)) if (!rows.has(k)) rows.set(k, []);
  const inView = doc.sessions.filter((s) => s._dayIdx >= first && s._dayIdx < first + days);
  for (const s of inView) for (const k of rowKeys(s, mode)) rows.get(k).push(s);
  const out = [];
  for (const [key, list] of rows) {
    const lanes = [];
    const placed = list.map((s) => {
      const a = s._dayIdx * 1440 + s._min;
      const b = a + s._dur;
      let lane = lanes.findIndex((end) => end <= a);
      if (lane < 0) { lane = lanes.length; lanes.push(b); } else lanes[lane] = b;
      return { s, lane };
    });
    out.push({ key, label: rowLabel(key, mode, doc.names), placed, lanes: Math.max(1, lanes.length) });
  }
  out.sort((x, y) => x.label.localeCompare(y.label, "sv"));
  return { rows: out, count: inView.length };
}

/** Draw the SVG of one window. Returns its markup (one string: fast for hundreds of sessions). */
function draw(doc, mode, first, zoom, width, highlight) {
  const LABEL_W = width < 640 ? 110 : 190;  // row labels: narrower on a phone
  const days = ZOOM_DAYS[zoom];
  const { rows, count } = layout(doc, mode, first, days);
  const h0 = doc._hour0, h1 = doc._hour1, span = (h1 - h0) * 60;
  const dayW = Math.max(zoom === "day" ? 600 : zoom === "week" ? 120 : 26, (width - LABEL_W) / days);
  const W = LABEL_W + dayW * days;
  let y = HEAD_H;
  const parts = [];
  // day columns and header
  for (let d = 0; d < days; d++) {
    const idx = first + d;
    const x = LABEL_W + d * dayW;
    const weekday = (idx + 3) % 7; // 0 = Monday
    if (weekday >= 5) parts.push(`<rect class="weekend" x="${x}" y="${HEAD_H}" width="${dayW}" height="100%"/>`);
    parts.push(`<line class="grid${weekday === 0 ? " week" : ""}" x1="${x}" x2="${x}" y1="0" y2="100%"/>`);
    const day = dayOf(idx);
    let label;
    if (zoom === "month") label = weekday === 0 || d === 0 ? fmtDay(day, { day: "numeric", month: "numeric" }) : "";
    else label = fmtDay(day, { weekday: "short", day: "numeric", month: zoom === "day" ? "long" : "numeric" });
    if (label) parts.push(`<text class="day" x="${x + 4}" y="15">${esc(label)}</text>`);
    if (zoom !== "month") {
      const step = zoom === "day" ? 1 : Math.max(2, Math.ceil((h1 - h0) / 4));
      for (let h = h0; h < h1; h += step) {
        const hx = x + ((h - h0) * 60 / span) * dayW;
        parts.push(`<text class="hour" x="${hx + 2}" y="32">${String(h).padStart(2, "0")}</text>`);
        if (zoom === "day") parts.push(`<line class="grid hour" x1="${hx}" x2="${hx}" y1="${HEAD_H}" y2="100%"/>`);
      }
    }
  }
  for (const row of rows) {
    const rh = row.lanes * LANE_H;
    parts.push(`<g class="row"><rect class="rowbg" x="0" y="${y}" width="${W}" height="${rh}"/>`
      + `<text class="rowlabel" x="6" y="${y + 19}"><title>${esc(row.label)}</title>${esc(row.label.length > LABEL_W / 7.3 ? row.label.slice(0, Math.floor(LABEL_W / 7.3) - 1) + "…" : row.label)}</text></g>`);
    for (const { s, lane } of row.placed) {
      const x = LABEL_W + (s._dayIdx - first) * dayW + Math.max(0, (s._min - h0 * 60) / span) * dayW;
      const w = Math.max(3, Math.min(s._dur / span, 1) * dayW);
      const sy = y + lane * LANE_H + 3;
      const hl = highlight && highlight.has(s.id);
      const text = `${doc.names.modules[s.module] || s.module} ${s.index}/${s.of} · ${s.size} · ${s.site ? (doc.names.sites[s.site] || s.site) : t("remote")}`;
      const desc = describe(s, doc);
      parts.push(`<g class="session${hl ? " moved" : ""}" tabindex="0" role="button" data-id="${esc(s.id)}" aria-label="${esc(desc)}">`
        + `<title>${esc(desc)}</title><rect x="${x}" y="${sy}" width="${w}" height="${LANE_H - 6}" rx="3" fill="${colour(s.module, doc._modules)}"/>`
        + (w > 20 ? `<svg x="${x}" y="${sy}" width="${w - 2}" height="${LANE_H - 6}"><text x="3" y="16">${esc(w > 90 ? text : `${s.index}/${s.of}`)}</text></svg>` : "")
        + `</g>`);
    }
    y += rh;
  }
  const H = y + 4;
  return { svg: `<svg class="timeline-svg" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="group" aria-label="${esc(t("tab_timeline"))}">${parts.join("")}</svg>`, count };
}

/** A timeline with its controls in `container`. Options: rows, zoom, start (a day),
 *  highlight (a Set of session ids to mark), idPrefix (for several timelines on one page). */
export function timeline(container, doc, opts = {}) {
  prepare(doc);
  const p = opts.idPrefix || "tl";
  const state = { mode: opts.rows || "trainer", zoom: opts.zoom || "week", first: null };
  const firstSession = doc.sessions.length ? doc.sessions[0]._dayIdx : dayIndex((doc.horizon && doc.horizon.start) || "2027-01-04");
  const startIdx = opts.start ? dayIndex(opts.start) : firstSession;
  const align = (idx) => (state.zoom === "day" ? idx : monday(idx));
  state.first = align(startIdx);

  const modeSel = el("select", { id: `${p}-rows` },
    ...["trainer", "room", "workplace", "team", "cohort"].map((m) => el("option", { value: m, selected: m === state.mode }, t(`rows_${m}`))));
  const zoomSel = el("select", { id: `${p}-zoom` },
    ...["day", "week", "month"].map((z) => el("option", { value: z, selected: z === state.zoom }, t(`zoom_${z}`))));
  const dateIn = el("input", { id: `${p}-date`, type: "date", value: dayOf(state.first) });
  const prev = el("button", { type: "button", id: `${p}-prev`, "aria-label": t("prev") }, "◀ ", t("prev"));
  const next = el("button", { type: "button", id: `${p}-next`, "aria-label": t("next") }, t("next"), " ▶");
  const firstBtn = el("button", { type: "button", id: `${p}-first` }, t("today_first"));
  const info = el("span", { class: "muted", id: `${p}-count`, "aria-live": "polite" });
  const controls = el("div", { class: "controls" },
    el("label", { for: `${p}-rows` }, t("rows")), modeSel,
    el("label", { for: `${p}-zoom` }, t("zoom")), zoomSel,
    prev, el("label", { for: `${p}-date`, class: "sr-only" }, t("go_to")), dateIn, next, firstBtn, info);
  const canvas = el("div", { class: "timeline", id: `${p}-canvas` });
  const details = el("div", { class: "details", id: `${p}-details`, "aria-live": "polite" });
  container.replaceChildren(controls, canvas, details);

  function render() {
    const t0 = performance.now();
    const width = Math.max(canvas.clientWidth || container.clientWidth || 900, 320);
    const { svg, count } = draw(doc, state.mode, state.first, state.zoom, width, opts.highlight);
    canvas.innerHTML = svg;
    dateIn.value = dayOf(state.first);
    info.textContent = count ? t("sessions_in_view", { n: count }) : t("no_sessions_in_view");
    canvas.dataset.sessions = String(count);
    canvas.dataset.renderMs = String(Math.round(performance.now() - t0));
  }
  function showDetails(id) {
    const s = doc.sessions.find((x) => x.id === id);
    if (s) details.textContent = describe(s, doc);
  }
  canvas.addEventListener("click", (e) => {
    const g = e.target.closest("g.session");
    if (g) showDetails(g.dataset.id);
  });
  canvas.addEventListener("keydown", (e) => {
    const g = e.target.closest("g.session");
    if (g && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); showDetails(g.dataset.id); }
  });
  canvas.addEventListener("focusin", (e) => {
    const g = e.target.closest("g.session");
    if (g) showDetails(g.dataset.id);
  });
  modeSel.addEventListener("change", () => { state.mode = modeSel.value; render(); });
  zoomSel.addEventListener("change", () => { state.zoom = zoomSel.value; state.first = align(state.first); render(); });
  prev.addEventListener("click", () => { state.first -= state.zoom === "month" ? 28 : ZOOM_DAYS[state.zoom]; render(); });
  next.addEventListener("click", () => { state.first += state.zoom === "month" ? 28 : ZOOM_DAYS[state.zoom]; render(); });
  firstBtn.addEventListener("click", () => { state.first = align(firstSession); render(); });
  dateIn.addEventListener("change", () => { if (dateIn.value) { state.first = align(dayIndex(dateIn.value)); render(); } });
  render();
  return { render, state, set(mode, zoom, start) {
    if (mode) { state.mode = mode; modeSel.value = mode; }
    if (zoom) { state.zoom = zoom; zoomSel.value = zoom; }
    if (start) state.first = align(dayIndex(start));
    render();
  } };
}
