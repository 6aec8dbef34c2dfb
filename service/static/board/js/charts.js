// Small SVG charts drawn by hand: a solve's objective and bound over time, a team's training
// load per shift against its slack, and horizontal bars of the cost terms.

import { esc, fmtDay, fmtNumber, t } from "./core.js";

/** Objective (solid) and proven bound (dashed) against elapsed seconds. */
export function progressChart(points, width = 560, height = 220) {
  const pad = { l: 86, r: 12, t: 26, b: 24 };
  const pts = points.filter((p) => p.objective !== null || p.bound !== null);
  const values = pts.flatMap((p) => [p.objective, p.bound]).filter((v) => v !== null && v !== undefined);
  if (!values.length) return `<svg class="chart" width="${width}" height="${height}" role="img" aria-label="${esc(t("progress_title"))}"></svg>`;
  let lo = Math.min(...values), hi = Math.max(...values);
  if (hi - lo < 1e-9) { hi += Math.max(1, Math.abs(hi) * 0.01); lo -= Math.max(1, Math.abs(lo) * 0.01); }
  const tmax = Math.max(1, ...pts.map((p) => p.elapsed));
  const X = (s) => pad.l + (s / tmax) * (width - pad.l - pad.r);
  const Y = (v) => pad.t + (1 - (v - lo) / (hi - lo)) * (height - pad.t - pad.b);
  const line = (key) => pts.filter((p) => p[key] !== null && p[key] !== undefined)
    .map((p, i) => `${i ? "L" : "M"}${X(p.elapsed).toFixed(1)},${Y(p[key]).toFixed(1)}`).join("");
  const ticks = [lo, (lo + hi) / 2, hi].map((v) => `<text class="tick" x="${pad.l - 6}" y="${Y(v) + 4}" text-anchor="end">${esc(fmtNumber(v))}</text>`
    + `<line class="grid" x1="${pad.l}" x2="${width - pad.r}" y1="${Y(v)}" y2="${Y(v)}"/>`).join("");
  const last = pts[pts.length - 1];
  const label = `${t("objective")} ${fmtNumber(last.objective)}, ${t("bound")} ${fmtNumber(last.bound)}, ${fmtNumber(last.elapsed, 1)} s`;
  return `<svg class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(label)}">`
    + ticks
    + `<text class="tick" x="${pad.l}" y="${height - 8}">0 s</text><text class="tick" x="${width - pad.r}" y="${height - 8}" text-anchor="end">${esc(fmtNumber(tmax, 1))} s</text>`
    + `<path class="objective" d="${line("objective")}"/><path class="bound" d="${line("bound")}"/>`
    + `<g class="legend"><line class="objective" x1="${pad.l}" x2="${pad.l + 24}" y1="10" y2="10"/><text x="${pad.l + 28}" y="14">${esc(t("objective"))}</text>`
    + `<line class="bound" x1="${pad.l + 150}" x2="${pad.l + 174}" y1="10" y2="10"/><text x="${pad.l + 178}" y="14">${esc(t("bound"))}</text></g>`
    + `</svg>`;
}

/** A team's shifts with training: a bar per shift (members in training), the slack as a line,
 *  bars with no margin left in the alert colour. */
export function staffingChart(team, width = 760, height = 170) {
  const pad = { l: 34, r: 8, t: 10, b: 26 };
  const rows = team.shifts;
  const top = Math.max(team.slack ?? 0, ...rows.map((r) => r.load), 1);
  const n = Math.max(rows.length, 1);
  const bw = Math.max(2, (width - pad.l - pad.r) / n);
  const Y = (v) => pad.t + (1 - v / top) * (height - pad.t - pad.b);
  const bars = rows.map((r, i) => {
    const x = pad.l + i * bw;
    const tight = r.margin !== null && r.margin <= 0;
    return `<rect class="bar${tight ? " tight" : ""}" x="${x + 0.5}" y="${Y(r.load)}" width="${Math.max(1, bw - 1)}" height="${Y(0) - Y(r.load)}">`
      + `<title>${esc(`${fmtDay(r.date)} ${r.shift}: ${r.load} / ${r.slack}`)}</title></rect>`;
  }).join("");
  const slack = team.slack === null ? "" : `<line class="slack" x1="${pad.l}" x2="${width - pad.r}" y1="${Y(team.slack)}" y2="${Y(team.slack)}"/>`
    + `<text class="tick" x="${pad.l - 4}" y="${Y(team.slack) + 4}" text-anchor="end">${team.slack}</text>`;
  const first = rows.length ? fmtDay(rows[0].date) : "";
  const lastDay = rows.length ? fmtDay(rows[rows.length - 1].date) : "";
  return `<svg class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" `
    + `aria-label="${esc(t("staffing_title"))}: ${esc(team.id)}">`
    + `<text class="tick" x="${pad.l - 4}" y="${Y(0) + 4}" text-anchor="end">0</text>${bars}${slack}`
    + `<text class="tick" x="${pad.l}" y="${height - 6}">${esc(first)}</text><text class="tick" x="${width - pad.r}" y="${height - 6}" text-anchor="end">${esc(lastDay)}</text></svg>`;
}

/** Horizontal bars: [{label, value, key}] scaled to the largest. */
export function bars(items) {
  const max = Math.max(1, ...items.map((i) => Math.abs(i.value)));
  return items.map((i) => `<div class="hbar" data-term="${esc(i.key)}"><span class="hbar-label">${esc(i.label)}</span>`
    + `<svg class="hbar-track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect class="hbar-fill" width="${(100 * Math.abs(i.value) / max).toFixed(2)}" height="10"/></svg>`
    + `<span class="hbar-value" data-value="${i.value}">${esc(fmtNumber(i.value))}</span></div>`).join("");
}
