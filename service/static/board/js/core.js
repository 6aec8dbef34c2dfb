// The board's shared pieces: texts, formats, the token, the API, small DOM helpers.
// Plain ES module, no dependencies: the page works offline from the installed package.

const payload = JSON.parse(document.getElementById("board-data").textContent);

export const lang = payload.lang;
export const page = payload;
const texts = payload.texts;
const locale = lang === "sv" ? "sv-SE" : "en-GB";

/** A text of the page's language, with {name} placeholders filled in. */
export function t(key, vars = {}) {
  const s = texts[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : `{${k}}`));
}

// ------------------------------------------------------------------ formats

const numberFormats = new Map();

/** A number in the language's format ("12 345,5" in Swedish), with at most `digits` decimals. */
export function fmtNumber(x, digits = 0) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  let f = numberFormats.get(digits);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    numberFormats.set(digits, f);
  }
  return f.format(x);
}

/** A percentage with one decimal ("3,2 %" in Swedish). */
export function fmtPercent(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(x);
}

const dateFormats = new Map();

function dateFormat(tz, options) {
  const key = tz + JSON.stringify(options);
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: tz, ...options });
    dateFormats.set(key, f);
  }
  return f;
}

/** Date of an instant in the scenario's time zone: "2027-03-12" in Swedish, "12 Mar 2027" in English. */
export function fmtDate(iso, tz) {
  if (!iso) return "–";
  const opts = lang === "sv" ? { year: "numeric", month: "2-digit", day: "2-digit" }
                             : { year: "numeric", month: "short", day: "numeric" };
  return dateFormat(tz, opts).format(new Date(iso));
}

/** A local calendar date "YYYY-MM-DD" (no time zone involved) in the language's format. */
export function fmtDay(day, options = null) {
  if (!day) return "–";
  const [y, m, d] = day.split("-").map(Number);
  const opts = options ?? (lang === "sv" ? { year: "numeric", month: "2-digit", day: "2-digit" }
                                          : { year: "numeric", month: "short", day: "numeric" });
  return dateFormat("UTC", opts).format(new Date(Date.UTC(y, m - 1, d)));
}

/** Time of day of an instant in the scenario's time zone, 24-hour ("08:00"). */
export function fmtTime(iso, tz) {
  return dateFormat(tz, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
}

/** Date and time of an instant (e.g. a creation time) in the scenario's or the browser's zone. */
export function fmtDateTime(iso, tz = undefined) {
  if (!iso) return "–";
  const zone = tz || Intl.DateTimeFormat().resolvedOptions().timeZone;
  return `${fmtDate(iso, zone)} ${fmtTime(iso, zone)}`;
}

const partsCache = new Map();

/** The local date ("YYYY-MM-DD") and minutes after local midnight of an instant in `tz`. */
export function localParts(iso, tz) {
  let f = partsCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit",
                                           hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    partsCache.set(tz, f);
  }
  const p = {};
  for (const { type, value } of f.formatToParts(new Date(iso))) p[type] = value;
  return { day: `${p.year}-${p.month}-${p.day}`, minutes: Number(p.hour) * 60 + Number(p.minute) };
}

/** Days since 1970-01-01 of a "YYYY-MM-DD" date. */
export function dayIndex(day) {
  const [y, m, d] = day.split("-").map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / 86400000);
}

/** The "YYYY-MM-DD" date of a day index. */
export function dayOf(index) {
  return new Date(index * 86400000).toISOString().slice(0, 10);
}

// ------------------------------------------------------------------ DOM

/** Escape text for HTML. */
export function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

/** An element with attributes and children (strings become text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** A board link that keeps the page's language. */
export function href(path, params = {}) {
  const u = new URL(path, window.location.origin);
  if (new URLSearchParams(window.location.search).has("lang") || lang !== "sv") u.searchParams.set("lang", lang);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.pathname + u.search;
}

/** Show a message in the page's live status region (errors are marked as such). */
export function status(message, kind = "info") {
  const box = document.getElementById("status");
  box.textContent = message || "";
  box.className = message ? `status ${kind}` : "status";
}

// ------------------------------------------------------------------ token and API

const TOKEN_KEY = "modulplan.board.token";

/** The token: from the link's fragment (#token=…, then removed from the address bar) or storage. */
export function token() {
  const m = window.location.hash.match(/token=([^&]+)/);
  if (m) {
    localStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
    history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  return localStorage.getItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.detail || body?.title || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/** Call the JSON API with the user's token; a problem-details answer becomes an ApiError. */
export async function api(path, { method = "GET", body = undefined, headers = {} } = {}) {
  const h = { Authorization: `Bearer ${token()}`, "Accept-Language": lang, ...headers };
  if (body !== undefined) h["Content-Type"] = "application/json";
  const resp = await fetch(`/api/v1${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await resp.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { detail: text.slice(0, 200) }; }
  if (!resp.ok) throw new ApiError(resp.status, data);
  return data;
}

let termsPromise = null;

/** The objective terms, [{term, label}] with labels in the page's language, in the order the
 *  board lists them: the API's list (GET /meta/objective-terms), not one kept here. Fetched once. */
export function objectiveTerms() {
  termsPromise ??= api("/meta/objective-terms")
    .then((r) => r.terms.map((x) => ({ term: x.term, label: x.labels[lang] ?? t(`term_${x.term}`) })));
  return termsPromise;
}

/** A sentence for an error of the API (403 in the user's words). */
export function errorText(err) {
  if (err instanceof ApiError && err.status === 403) return t("forbidden");
  const extra = err?.body?.errors?.map((e) => `${e.path}: ${e.message}`).join("; ");
  return t("error", { detail: extra ? `${err.message} (${extra})` : err.message });
}

// ------------------------------------------------------------------ the frame

function signInForm(message) {
  const main = document.getElementById("content");
  main.replaceChildren();
  const input = el("input", { id: "token-input", type: "password", autocomplete: "off", required: true, size: 50 });
  const form = el("form", { class: "card signin", id: "signin" },
    el("h2", {}, t("token_title")), el("p", {}, t("token_help")),
    message ? el("p", { class: "status error", role: "alert" }, message) : null,
    el("label", { for: "token-input" }, t("token_label")), input,
    el("button", { type: "submit" }, t("token_submit")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    localStorage.setItem(TOKEN_KEY, input.value.trim());
    window.location.reload();
  });
  main.append(form);
  input.focus();
}

/** Set up the frame (language link, who is signed in, sign out) and return the caller's role,
 *  or null after showing the sign-in form. */
export async function start() {
  const other = document.getElementById("lang-link");
  if (other) {
    const u = new URL(window.location.href);
    u.searchParams.set("lang", other.getAttribute("hreflang"));
    u.hash = "";
    other.href = u.pathname + u.search;
  }
  if (!token()) {
    signInForm(null);
    return null;
  }
  let me;
  try {
    me = await api("/board/me");
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      localStorage.removeItem(TOKEN_KEY);
      signInForm(t("token_invalid", { detail: err.message }));
      return null;
    }
    throw err;
  }
  const role = me.role === "manager" ? t("role_manager", { workplace: me.workplace }) : t(`role_${me.role}`);
  document.getElementById("who").textContent = t("signed_in_as", { role });
  const out = document.getElementById("sign-out");
  out.hidden = false;
  out.addEventListener("click", () => { localStorage.removeItem(TOKEN_KEY); window.location.href = href("/board/"); });
  document.body.dataset.role = me.role;
  return me;
}

/** Run a page: start the frame, then the page's own code; errors go to the status line. */
export async function run(main) {
  try {
    const me = await start();
    if (me) await main(me);
  } catch (err) {
    console.error(err);
    status(errorText(err), "error");
  }
  document.body.dataset.ready = "1";
}

/** Tabs: buttons with role=tab switching panels; arrow keys move between them. */
export function tabs(container, onShow) {
  const list = container.querySelector("[role=tablist]");
  const buttons = [...list.querySelectorAll("[role=tab]")];
  function show(btn, focus = false) {
    for (const b of buttons) {
      const on = b === btn;
      b.setAttribute("aria-selected", on ? "true" : "false");
      b.tabIndex = on ? 0 : -1;
      document.getElementById(b.getAttribute("aria-controls")).hidden = !on;
    }
    if (focus) btn.focus();
    const name = btn.dataset.tab;
    history.replaceState(null, "", `${window.location.pathname}${window.location.search}#${name}`);
    onShow(name);
  }
  for (const b of buttons) {
    b.addEventListener("click", () => show(b));
    b.addEventListener("keydown", (e) => {
      const i = buttons.indexOf(b);
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        e.preventDefault();
        const j = (i + (e.key === "ArrowRight" ? 1 : buttons.length - 1)) % buttons.length;
        show(buttons[j], true);
      }
    });
  }
  const wanted = buttons.find((b) => `#${b.dataset.tab}` === window.location.hash && !b.hidden);
  show(wanted || buttons.find((b) => !b.hidden));
  return { show: (name) => show(buttons.find((b) => b.dataset.tab === name)) };
}
