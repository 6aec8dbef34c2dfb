// Pieces the action-plan and programme pages share: reading a plan of the API, and showing the
// API's errors ([{path, message}]) next to the field their JSON path names.

import { el } from "./core.js";

/** The plan's document (the format's action-plan shape plus note), whether nested or flat. */
export function planDoc(p) {
  return p?.document ?? p?.plan ?? p ?? {};
}

/** The id the API's plan URLs take (the plan resource's id, not its id in the scenario). */
export function planKey(p) {
  return p?.id;
}

const PLAN_FIELDS = "id|workplace|track|participants|earliest|deadline|target|allow_on_shift|allow_off_shift|note";

/** A plan error's path relative to the plan ("$.document.participants[0].count" and
 *  "$.action_plans[2].deadline" become "$.participants[0].count" and "$.deadline"). */
export function planPath(path) {
  return String(path || "$").replace(new RegExp(`^\\$(?:\\.\\w+(?:\\[\\d+\\])?)*?\\.(?=(?:${PLAN_FIELDS})\\b)`), "$.");
}

/** The path and its ancestors, longest first: "$.a[0].b", "$.a[0]", "$.a", "$". */
export function ancestors(path) {
  const out = [path];
  let p = path;
  while (p !== "$" && p) {
    const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
    if (cut <= 0) break;
    p = p.slice(0, cut);
    out.push(p);
  }
  return out;
}

/** Remove the errors shown by showErrors. */
export function clearErrors(root = document) {
  for (const e of root.querySelectorAll(".field-error")) e.remove();
  for (const e of root.querySelectorAll("[aria-invalid]")) e.removeAttribute("aria-invalid");
  for (const e of root.querySelectorAll(".has-error")) e.classList.remove("has-error");
  const list = root.querySelector(".form-errors");
  if (list) { list.replaceChildren(); list.hidden = true; }
}

/** Show each error next to the element whose data-path is its path (or the nearest ancestor);
 *  the rest in the list `.form-errors`. `normalize` maps an API path to the form's paths. */
export function showErrors(errors, message = "", { root = document, normalize = planPath } = {}) {
  const list = root.querySelector(".form-errors");
  const unplaced = [];
  for (const err of errors) {
    const path = normalize(err.path);
    const target = ancestors(path).map((p) => root.querySelector(`[data-path="${CSS.escape(p)}"]`)).find(Boolean);
    if (!target) { unplaced.push(err); continue; }
    target.classList.add("has-error");
    target.querySelector("input, select, textarea")?.setAttribute("aria-invalid", "true");
    const note = el("p", { class: "field-error", role: "alert", dataset: { errorPath: err.path } }, err.message);
    const buttons = target.querySelector(":scope > .buttons");  // next to the field, before its buttons
    if (buttons) buttons.before(note); else target.append(note);
  }
  if (!errors.length && message) unplaced.push({ path: "", message });
  if (list) {
    list.replaceChildren(...unplaced.map((e) => el("li", { class: "error-item", dataset: { path: e.path || "" } },
      e.path ? el("code", {}, e.path) : null, e.path ? ": " : null, e.message)));
    list.hidden = !unplaced.length;
  }
  return unplaced;
}

/** Every error as a list item "path: message" (for uploads: sheet/row/column or JSON path). */
export function errorList(errors, id) {
  return el("ul", { class: "form-errors", id, role: "alert" }, ...errors.map((e) => el("li", { class: "error-item", dataset: { path: e.path || "" } },
    e.path ? el("code", {}, e.path) : null, e.path ? ": " : null, e.message)));
}
