// Review of a proposal (issue 15). A manager sees their workplace's sessions (who, when, where),
// the staffing load per team and shift, and answers: accept, or the periods when a team cannot
// release anyone, with a comment. A coordinator or planner sees every workplace's answer (and a
// coordinator makes the variant from them). Only the API, with the page's token.

import { ApiError, api, el, errorText, fmtDateTime, fmtDay, fmtNumber, fmtTime, page, run, status, t } from "../js/core.js";
import { answerLabel, periodsText, reviewPanel } from "../js/review_panel.js";

const id = page.schedule_ref;

function sessions(doc) {
  const box = document.getElementById("review-sessions");
  document.getElementById("review-sessions-section").hidden = false;
  if (!doc.sessions.length) {
    box.replaceChildren(el("p", {}, t("review_sessions_none")));
    return;
  }
  const n = doc.names;
  const tz = doc.timezone;
  box.replaceChildren(el("div", { class: "scroll" }, el("table", { class: "data agenda", id: "review-session-table" },
    el("thead", {}, el("tr", {}, ...[t("date"), t("time"), t("module"), t("review_who"), t("trainer"), t("review_where")]
      .map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...doc.sessions.map((s) => el("tr", { dataset: { session: s.id, start: s.start } },
      el("td", { "data-label": t("date") }, fmtDay(s.start.slice(0, 10), { weekday: "short", year: "numeric", month: "2-digit", day: "2-digit" })),
      el("td", { "data-label": t("time") }, `${fmtTime(s.start, tz)}–${fmtTime(s.end, tz)}`),
      el("th", { scope: "row", "data-label": t("module") }, `${n.modules[s.module] || s.module} `,
        el("span", { class: "muted" }, t("session_of", { n: s.index, m: s.of }))),
      el("td", { "data-label": t("review_who") }, `${s.cohort}: ${fmtNumber(s.size)} · ${s.teams.map((x) => n.teams[x] || x).join(", ")}`),
      el("td", { "data-label": t("trainer") }, n.trainers[s.trainer] || s.trainer || "–"),
      el("td", { "data-label": t("review_where") }, s.room ? `${n.rooms[s.room] || s.room}${s.site ? `, ${n.sites[s.site] || s.site}` : ""}` : t("remote"))))))));
}

function staffing(doc) {
  const box = document.getElementById("review-staffing");
  document.getElementById("review-staffing-section").hidden = false;
  if (!doc.staffing.length) {
    box.replaceChildren(el("p", {}, t("staffing_none")));
    return;
  }
  const rows = doc.staffing.flatMap((team) => team.shifts.map((r) => ({ team, r })));
  box.replaceChildren(el("div", { class: "scroll" }, el("table", { class: "data compact", id: "review-staffing-table" },
    el("thead", {}, el("tr", {}, ...[t("col_team"), t("date"), t("col_shift"), t("time"), t("col_load"), t("col_slack"), t("col_left")]
      .map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...rows.map(({ team, r }) => el("tr", { class: r.margin !== null && r.margin <= 0 ? "tight" : "",
                                                          dataset: { team: team.team, date: r.date, load: r.load, margin: r.margin ?? "" } },
      el("th", { scope: "row" }, team.team), el("td", {}, fmtDay(r.date)), el("td", {}, r.shift),
      el("td", {}, `${fmtTime(r.start, doc.timezone)}–${fmtTime(r.end, doc.timezone)}`),
      el("td", { class: "num" }, fmtNumber(r.load)), el("td", { class: "num" }, fmtNumber(r.slack)),
      el("td", { class: "num" }, fmtNumber(r.margin))))))));
}

// ------------------------------------------------------------------ the answer form

function periodRow(teams, period, index) {
  const fid = (name) => `blocked-${name}-${index}`;
  const select = el("select", { id: fid("team"), class: "blocked-team" },
    ...teams.map((x) => el("option", { value: x.id, selected: period?.team === x.id }, x.id)));
  const remove = el("button", { type: "button", class: "link remove-period" }, t("review_remove_period"));
  const row = el("div", { class: "variant-form blocked-period", dataset: { index } },
    el("div", { class: "field" }, el("label", { for: fid("team") }, t("review_team")), select),
    el("div", { class: "field" }, el("label", { for: fid("start") }, t("review_start")),
      el("input", { type: "date", id: fid("start"), class: "blocked-start", value: period?.start?.slice(0, 10) ?? "" })),
    el("div", { class: "field" }, el("label", { for: fid("end") }, t("review_end")),
      el("input", { type: "date", id: fid("end"), class: "blocked-end", value: period?.end?.slice(0, 10) ?? "" })),
    el("div", { class: "field" }, el("label", { for: fid("reason") }, t("review_reason")),
      el("input", { type: "text", id: fid("reason"), class: "blocked-reason", value: period?.reason ?? "", maxlength: 500 })),
    remove);
  remove.addEventListener("click", () => row.remove());
  return row;
}

function answerForm(review, me) {
  document.getElementById("review-answer-section").hidden = false;
  const box = document.getElementById("review-answer");
  const current = review.answer;
  const open = review.status === "open";
  const choice = current?.answer ?? "accept";
  const radio = (value, label) => el("div", {},
    el("input", { type: "radio", name: "answer", id: `answer-${value}`, value, checked: choice === value, disabled: !open }),
    " ", el("label", { for: `answer-${value}` }, label));
  const list = el("div", { id: "blocked-list" });
  let counter = 0;
  for (const p of current?.blocked || []) list.append(periodRow(review.teams, p, counter++));
  const add = el("button", { type: "button", id: "add-period", class: "secondary" }, t("review_add_period"));
  add.addEventListener("click", () => {
    const row = periodRow(review.teams, null, counter++);
    list.append(row);
    row.querySelector("select").focus();
  });
  const blockedBox = el("fieldset", { id: "blocked-periods" }, el("legend", {}, t("review_blocked_title")), list, add);
  const comment = el("textarea", { id: "comment", rows: 3, cols: 60, maxlength: 4000 }, current?.comment ?? "");
  const errors = el("div", { id: "answer-errors", role: "alert" });
  const latest = el("p", { id: "current-answer", class: "muted" },
    current ? t("review_current", { answer: answerLabel(current.answer), date: fmtDateTime(current.answered_at) }) : answerLabel(null));
  const submit = el("button", { type: "submit", id: "submit-answer", disabled: !open }, t("review_submit"));
  const form = el("form", { id: "answer-form", novalidate: true },
    el("fieldset", {}, el("legend", {}, t("review_answer")), radio("accept", t("review_accept")), radio("changes", t("review_changes"))),
    blockedBox, el("div", { class: "field" }, el("label", { for: "comment" }, t("review_comment")), el("br"), comment),
    errors, submit);
  const sync = () => { blockedBox.hidden = form.querySelector("input[name=answer]:checked")?.value !== "changes"; };
  form.addEventListener("change", sync);
  sync();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    errors.replaceChildren();
    const answer = form.querySelector("input[name=answer]:checked")?.value;
    const blocked = answer === "changes" ? [...list.querySelectorAll(".blocked-period")].map((row) => ({
      team: row.querySelector(".blocked-team").value, start: row.querySelector(".blocked-start").value,
      end: row.querySelector(".blocked-end").value, reason: row.querySelector(".blocked-reason").value })) : [];
    submit.disabled = true;
    try {
      const saved = await api(`/schedules/${id}/review/answers/${encodeURIComponent(me.workplace)}`,
        { method: "PUT", body: { answer, blocked, comment: comment.value } });
      latest.textContent = t("review_current", { answer: answerLabel(saved.answer), date: fmtDateTime(saved.answered_at) });
      status(t("review_saved", { answer: answerLabel(saved.answer) }));
      document.body.dataset.answerSaved = String(Number(document.body.dataset.answerSaved || 0) + 1);
    } catch (err) {
      if (err instanceof ApiError && err.body?.errors) {
        errors.replaceChildren(el("p", { class: "status error" }, t("review_errors")),
          el("ul", {}, ...err.body.errors.map((x) => el("li", { dataset: { path: x.path } }, `${x.path}: ${x.message}`))));
      } else status(errorText(err), "error");
    }
    submit.disabled = !open;
  });
  const history = review.history.length > 1 ? el("details", { id: "answer-history" }, el("summary", {}, t("review_history")),
    el("ul", {}, ...review.history.slice(0, -1).reverse().map((a) => el("li", {},
      `${fmtDateTime(a.answered_at)}: ${answerLabel(a.answer)}${a.blocked.length ? ` – ${periodsText(a.blocked)}` : ""}${a.comment ? ` – ${a.comment}` : ""}`)))) : null;
  box.replaceChildren(latest, form, history || "");
}

run(async (me) => {
  const review = await api(`/schedules/${id}/review`);
  document.body.dataset.review = review.id;
  document.getElementById("review-meta").textContent = t("review_sent", { date: fmtDateTime(review.sent_at) })
    + (review.status === "closed" ? ` · ${t("review_closed")}` : "");
  if (me.role !== "manager") {
    const box = document.getElementById("review-overview");
    box.className = "card";
    await reviewPanel(box, id, me, { review });
    return;
  }
  const doc = review.proposal;
  const title = `${t("review_title")}: ${doc.names.workplaces[me.workplace] || me.workplace}`;
  document.getElementById("page-title").textContent = title;
  document.title = `${title} · ${t("app_title")}`;
  sessions(doc);
  staffing(doc);
  answerForm(review, me);
});
