// Live progress of a solve job: polls the jobs API and redraws objective and bound over time
// without reloading the page; ends with the job (succeeded, failed or cancelled).

import { api, el, errorText, fmtNumber, status, t } from "./core.js";
import { progressChart } from "./charts.js";

const DONE = ["succeeded", "failed", "cancelled"];

/** Follow job `jobId` in `box`; resolves with the finished job. `interval` in ms. */
export function follow(box, jobId, interval = 500) {
  box.hidden = false;
  const points = [];
  const stateLine = el("p", { class: "job-state", id: `${box.id}-state`, "aria-live": "polite" });
  const figures = el("dl", { class: "figures" });
  const chart = el("div", { class: "chart-box", id: `${box.id}-chart` });
  const cancel = el("button", { type: "button", id: `${box.id}-cancel` }, t("cancel"));
  box.replaceChildren(el("h3", {}, t("progress_title")), stateLine, figures, chart, cancel);
  box.dataset.job = jobId;
  box.dataset.state = "queued";
  cancel.addEventListener("click", async () => {
    try { await api(`/jobs/${jobId}/cancel`, { method: "POST" }); } catch (err) { status(errorText(err), "error"); }
  });

  function show(job) {
    const p = job.progress || {};
    if (Array.isArray(p.history)) {  // the job's own record since its start (also when the page came later)
      points.splice(0, points.length, ...p.history.map(([elapsed, objective, bound]) => ({ elapsed, objective, bound })));
    }
    if (p.elapsed !== undefined && (p.objective !== null || p.bound !== null)) {
      const lastPoint = points[points.length - 1];
      if (!lastPoint || lastPoint.elapsed !== p.elapsed || lastPoint.objective !== p.objective || lastPoint.bound !== p.bound) {
        points.push({ elapsed: p.elapsed, objective: p.objective ?? null, bound: p.bound ?? null });
      }
    }
    box.dataset.state = job.state;
    box.dataset.points = String(points.length);
    const phase = p.phase ? t(`phase_${p.phase}`).replace(/^phase_/, "") : "";
    stateLine.textContent = `${t(`job_state_${job.state}`)}${phase ? ` · ${t("phase")}: ${phase}` : ""}`
      + (job.error ? ` · ${job.error}` : "");
    const rows = [[t("objective"), fmtNumber(p.objective), "objective", p.objective],
                  [t("bound"), fmtNumber(p.bound), "bound", p.bound],
                  [t("placed"), `${fmtNumber(p.sessions_placed)} / ${fmtNumber(p.sessions_total)}`, "placed", p.sessions_placed],
                  [t("elapsed"), `${fmtNumber(p.elapsed, 1)} s`, "elapsed", p.elapsed]];
    figures.replaceChildren(...rows.flatMap(([k, v, key, raw]) => [el("dt", {}, k),
      el("dd", { dataset: { figure: key, value: raw ?? "" } }, v)]));
    chart.innerHTML = progressChart(points, Math.min(560, (box.clientWidth || 560) - 8));
    cancel.hidden = DONE.includes(job.state);
  }

  return new Promise((resolve) => {
    async function tick() {
      let job;
      try {
        job = await api(`/jobs/${jobId}`);
      } catch (err) {
        status(errorText(err), "error");
        setTimeout(tick, interval * 4);
        return;
      }
      show(job);
      if (DONE.includes(job.state)) resolve(job);
      else setTimeout(tick, interval);
    }
    tick();
  });
}
