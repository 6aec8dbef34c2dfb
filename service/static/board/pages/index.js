// The scenario list: every stored scenario the caller may see, with its newest schedule.

import { api, el, fmtDateTime, href, run, t } from "../js/core.js";

run(async (me) => {
  const box = document.getElementById("scenarios");
  const list = await api("/scenarios?limit=200");
  if (!list.length) {
    box.replaceChildren(el("p", {}, t("scenarios_empty")));
    return;
  }
  const writer = me.role !== "manager";
  const table = el("table", { class: "data", id: "scenario-table" },
    el("caption", { class: "sr-only" }, t("scenarios_title")),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("col_name")), el("th", { scope: "col" }, t("col_workplaces")),
      el("th", { scope: "col" }, t("col_created")), el("th", { scope: "col" }, t("col_schedule")))),
    el("tbody", {}, ...list.map((s) => el("tr", { dataset: { scenario: s.id } },
      el("th", { scope: "row", "data-label": t("col_name") },
        writer ? el("a", { href: href(`/board/scenarios/${s.id}`) }, s.name) : s.name,
        el("div", { class: "muted small" }, s.scenario_id)),
      el("td", { "data-label": t("col_workplaces") }, me.role === "manager" ? me.workplace : (s.workplaces || []).length),
      el("td", { "data-label": t("col_created") }, fmtDateTime(s.created_at)),
      el("td", { "data-label": t("col_schedule") }, s.latest_schedule_id
        ? el("a", { href: href(`/board/schedules/${s.latest_schedule_id}`), class: "open-schedule" }, t("open_schedule"))
        : el("span", { class: "muted" }, t("no_schedule")))))));
  box.replaceChildren(el("div", { class: "scroll" }, table));
});
