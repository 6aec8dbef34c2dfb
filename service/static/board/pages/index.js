// The scenario list: every stored scenario the caller may see, with its newest schedule and its
// action plans (a manager: their workplace's); for coordinators also the programme set-up.

import { api, el, fmtDateTime, href, run, t } from "../js/core.js";
import { reviewList } from "../js/review_panel.js";
import { programmeSetup } from "../js/setup.js";

/** Links to a scenario's action-plan pages: the plans (everyone), overview and catalogue (writers). */
function planLinks(s, writer) {
  return el("span", { class: "links" },
    el("a", { href: href(`/board/scenarios/${s.id}/action-plans`), class: "open-plans" }, t("plans_title")),
    writer ? [" · ", el("a", { href: href(`/board/scenarios/${s.id}/overview`), class: "open-overview" }, t("overview_title"))] : null,
    writer ? [" · ", el("a", { href: href(`/board/scenarios/${s.id}/catalogue`), class: "open-catalogue" }, t("catalogue_title"))] : null);
}

run(async (me) => {
  const box = document.getElementById("scenarios");
  const list = await api("/scenarios?limit=200");
  await reviewList(document.getElementById("content"), me);  // proposals to review (issue 15)
  if (me.role === "coordinator") {
    programmeSetup(document.getElementById("content"), list);
  }
  if (!list.length) {
    box.replaceChildren(el("p", {}, t("scenarios_empty")));
    return;
  }
  const writer = me.role !== "manager";
  const table = el("table", { class: "data", id: "scenario-table" },
    el("caption", { class: "sr-only" }, t("scenarios_title")),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("col_name")), el("th", { scope: "col" }, t("col_workplaces")),
      el("th", { scope: "col" }, t("col_created")), el("th", { scope: "col" }, t("col_schedule")),
      el("th", { scope: "col" }, t("col_plans")))),
    el("tbody", {}, ...list.map((s) => el("tr", { dataset: { scenario: s.id } },
      el("th", { scope: "row", "data-label": t("col_name") },
        writer ? el("a", { href: href(`/board/scenarios/${s.id}`) }, s.name) : s.name,
        el("div", { class: "muted small" }, s.scenario_id)),
      el("td", { "data-label": t("col_workplaces") }, me.role === "manager" ? me.workplace : (s.workplaces || []).length),
      el("td", { "data-label": t("col_created") }, fmtDateTime(s.created_at)),
      el("td", { "data-label": t("col_schedule") }, s.latest_schedule_id
        ? el("a", { href: href(`/board/schedules/${s.latest_schedule_id}`), class: "open-schedule" }, t("open_schedule"))
        : el("span", { class: "muted" }, t("no_schedule"))),
      el("td", { "data-label": t("col_plans") }, planLinks(s, writer))))));
  box.replaceChildren(el("div", { class: "scroll" }, table));
});
