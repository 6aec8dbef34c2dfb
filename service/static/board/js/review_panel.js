// Review before publishing (issue 15), the coordinator's side: send a draft for review, the
// workplaces' answers so far, "make a variant from the answers" and its re-plan against the
// proposal; and the list of open reviews on the start page (a manager: those of their workplace).
// Everything goes through the JSON API with the page's token.

import { ApiError, api, el, errorText, fmtDateTime, fmtDay, href, status, t } from "./core.js";
import { follow } from "./progress.js";

/** "team 2026-03-16 – 2026-03-20 (reason)" for each blocked period of an answer. */
export function periodsText(blocked) {
  return (blocked || []).map((b) => `${b.team} ${fmtDay(b.start.slice(0, 10))} – ${fmtDay(b.end.slice(0, 10))}`
    + (b.reason ? ` (${b.reason})` : "")).join("; ");
}

/** The label of an answer ("godkänt", "ändringar begärda", "inte besvarat"). */
export function answerLabel(answer) {
  return answer ? t(`review_answered_${answer}`) : t("review_not_answered");
}

async function fetchReview(scheduleId) {
  try {
    return await api(`/schedules/${scheduleId}/review`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

function answersTable(review) {
  return el("table", { class: "data", id: "review-answers" },
    el("thead", {}, el("tr", {}, ...[t("review_workplace"), t("review_answer"), t("review_periods"), t("review_comment"), t("col_created")]
      .map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...review.workplaces.map((w) => el("tr", { dataset: { workplace: w.workplace, answer: w.answer?.answer ?? "" } },
      el("th", { scope: "row", "data-label": t("review_workplace") }, w.name),
      el("td", { "data-label": t("review_answer") }, answerLabel(w.answer?.answer)),
      el("td", { "data-label": t("review_periods"), class: "review-periods" }, periodsText(w.answer?.blocked)),
      el("td", { "data-label": t("review_comment") }, w.answer?.comment || ""),
      el("td", { "data-label": t("col_created") }, w.answer ? fmtDateTime(w.answer.answered_at) : "–")))));
}

/** The review panel of a schedule: "send for review" for a coordinator's draft, or the review's
 *  answers with "make a variant from the answers", its re-plan and "close the review". */
export async function reviewPanel(box, scheduleId, me, { review = undefined, published = false } = {}) {
  const current = review === undefined ? await fetchReview(scheduleId) : review;
  const coordinator = me.role === "coordinator";
  box.replaceChildren(el("h2", { id: "h-review-panel" }, t("review_panel_title")));
  box.setAttribute("aria-labelledby", "h-review-panel");
  if (!current) {
    if (coordinator && !published) {
      const send = el("button", { type: "button", id: "send-review" }, t("review_send"));
      send.addEventListener("click", async () => {
        send.disabled = true;
        try {
          const r = await api(`/schedules/${scheduleId}/review`, { method: "POST" });
          status(t("review_sent_ok", { n: r.workplaces.length }));
          await reviewPanel(box, scheduleId, me, { review: r, published });
        } catch (err) { status(errorText(err), "error"); send.disabled = false; }
      });
      box.append(send);
    } else {
      box.append(el("p", { class: "muted" }, "–"));
    }
    return;
  }
  box.dataset.review = current.id;
  box.dataset.status = current.status;
  box.append(el("p", { class: "muted", id: "review-sent" }, t("review_sent", { date: fmtDateTime(current.sent_at) })
    + (current.status === "closed" ? ` · ${t("review_closed")}` : "")), answersTable(current));
  if (current.unanswered.length) {
    const names = Object.fromEntries(current.workplaces.map((w) => [w.workplace, w.name]));
    box.append(el("p", { id: "review-unanswered" }, t("review_unanswered", { list: current.unanswered.map((w) => names[w] || w).join(", ") })));
  }
  const actions = el("div", { class: "actions" },
    el("a", { href: href(`/board/schedules/${scheduleId}/review`), id: "to-review-page" }, t("review_page_link")));
  box.append(actions);
  const result = el("div", { id: "review-variant" });
  box.append(result);
  if (!coordinator) return;
  const make = el("button", { type: "button", id: "make-variant" }, t("review_make_variant"));
  make.addEventListener("click", async () => {
    make.disabled = true;
    try {
      const v = await api(`/schedules/${scheduleId}/review/variant`, { method: "POST" });
      showVariant(result, v, scheduleId);
      status(t("review_variant_made"));
    } catch (err) { status(errorText(err), "error"); }
    make.disabled = false;
  });
  actions.prepend(make);
  if (current.status === "open") {
    const close = el("button", { type: "button", id: "close-review", class: "secondary" }, t("review_close"));
    close.addEventListener("click", async () => {
      close.disabled = true;
      try {
        const r = await api(`/schedules/${scheduleId}/review/close`, { method: "POST" });
        await reviewPanel(box, scheduleId, me, { review: r, published });
      } catch (err) { status(errorText(err), "error"); close.disabled = false; }
    });
    actions.append(close);
  }
}

/** The variant just made: its changes, a link to it and "re-plan against the proposal"; the
 *  re-plan's progress, then links to its schedule and to its comparison with the proposal. */
function showVariant(box, v, scheduleId) {
  const replan = el("button", { type: "button", id: "replan-variant" }, t("review_replan"));
  const link = el("a", { href: href(`/board/scenarios/${v.id}`), id: "open-variant", dataset: { variant: v.id } }, t("review_open_variant"));
  const progress = el("div", { id: "replan-progress", class: "progress", hidden: true });
  replan.addEventListener("click", async () => {
    replan.disabled = true;
    let job;
    try {
      job = await api(v.replan.href.replace(/^\/api\/v1/, ""), { method: "POST", body: { ...v.replan.body, time_limit: 5 } });
      replan.dataset.job = job.id;
      status(t("review_replan_started"));
    } catch (err) { status(errorText(err), "error"); replan.disabled = false; return; }
    const done = await follow(progress, job.id);
    if (done.state === "succeeded") {
      progress.append(el("p", { class: "actions", id: "replan-done" },
        el("a", { class: "button", href: href(`/board/schedules/${done.schedule_id}`), id: "replan-schedule" }, t("open_schedule")),
        el("a", { class: "button", href: href("/board/compare", { schedules: `${scheduleId},${done.schedule_id}` }), id: "replan-compare" },
          t("compare_with_baseline"))));
    }
  });
  box.replaceChildren(el("div", { class: "card", dataset: { variant: v.id } },
    el("p", {}, t("review_variant_made")),
    el("ul", { id: "variant-changes" }, ...v.changes.map((c) => el("li", {}, `${c.workplace}/${periodsText([c])}`))),
    el("div", { class: "actions" }, replan, link), progress));
}

/** The open reviews the caller may see, as a card above the scenario list (nothing when none). */
export async function reviewList(container, me) {
  const reviews = await api("/reviews");
  if (!reviews.length && me.role !== "manager") return;
  const card = el("section", { class: "card", id: "open-reviews", "aria-labelledby": "h-open-reviews" },
    el("h2", { id: "h-open-reviews" }, t("review_reviews_title")));
  if (!reviews.length) card.append(el("p", {}, t("review_none_open")));
  else {
    card.append(el("ul", {}, ...reviews.map((r) => el("li", { dataset: { review: r.id, schedule: r.schedule } },
      el("a", { href: href(`/board/schedules/${r.schedule}/review`), class: "open-review" }, `${t("review_open_link")}: ${r.scenario_name}`),
      ` · ${fmtDateTime(r.sent_at)} · `,
      me.role === "manager" ? answerLabel(r.answer) : `${r.answered}/${r.workplaces}`))));
  }
  container.prepend(card);
}
