import type { StartupReport } from '@startup/core';
import {
  formatMs,
  formatPercent,
  type Recommendation,
  type StartupAnalysis,
  startGrade,
  svgWaterfall,
  type TrendResult,
} from '@startup/monitor';

/** What {@link startupPage} shows: the newest start and the history around it. */
export interface StartupPageInput {
  /** The newest start's report (the start so far while it runs). */
  report: StartupReport;
  /** Its analysis: grade, efficiency, critical path. */
  analysis: StartupAnalysis;
  recommendations: readonly Recommendation[];
  /** The recent starts, when a history is kept. */
  trend?: TrendResult | undefined;
  /** Shown in the title. */
  service?: string | undefined;
  /** Starts of the trend shown, newest last. Defaults to 20. */
  lastStarts?: number;
}

/** The security headers the page is served with: no script may run, nothing is loaded from elsewhere. */
export const startupPageHeaders: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const style = `
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1f2328; margin: 0; background: #f6f8fa; }
main { max-width: 1200px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 12px; }
h2 { font-size: 17px; margin: 28px 0 10px; }
.summary { display: flex; flex-wrap: wrap; gap: 12px; align-items: stretch; }
.tile { background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; padding: 10px 14px; min-width: 130px; }
.tile .label { color: #59636e; font-size: 12px; }
.tile .value { font-size: 20px; font-weight: 600; }
.grade { display: inline-block; min-width: 28px; text-align: center; border-radius: 4px; color: #fff; }
.grade-A { background: #2da44e; } .grade-B { background: #4c9a2a; } .grade-C { background: #9a6700; }
.grade-D { background: #bc4c00; } .grade-F { background: #cf222e; }
figure { margin: 0; background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; padding: 8px; overflow-x: auto; }
ul.recommendations { list-style: none; padding: 0; margin: 0; }
ul.recommendations li { background: #fff; border: 1px solid #d1d9e0; border-left-width: 4px; border-radius: 6px; padding: 8px 12px; margin-bottom: 8px; }
ul.recommendations li.CRITICAL { border-left-color: #cf222e; } ul.recommendations li.WARNING { border-left-color: #d4a72c; }
ul.recommendations li.EFFICIENCY { border-left-color: #0969da; } ul.recommendations li.EXCELLENT { border-left-color: #2da44e; }
.severity { font-weight: 600; font-size: 12px; margin-right: 6px; }
.action { color: #59636e; }
table { border-collapse: collapse; background: #fff; border: 1px solid #d1d9e0; width: 100%; }
th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid #eaeef2; font-size: 13px; white-space: nowrap; }
td.bar { width: 50%; }
.bar span { display: block; height: 12px; background: #0969da; border-radius: 2px; }
tr.failed .bar span, tr.aborted .bar span { background: #cf222e; }
.muted { color: #59636e; }
`;

/**
 * The start-up page: an HTML document, readable without any script, showing the newest start's SVG waterfall,
 * its grade, parallel efficiency and critical path, the recommendations and the trend of recent starts. It shows
 * what `/health` makes public and no more (no secret, no process figures); every text is escaped. Serve it with
 * {@link startupPageHeaders}.
 */
export function startupPage(input: StartupPageInput): string {
  const { report, analysis } = input;
  const title = input.service === undefined ? 'Start-up' : `Start-up of ${input.service}`;
  const { grade, label } = analysis.grade;
  const path = analysis.criticalPath.length > 0 ? analysis.criticalPath.join(' → ') : 'none';
  const svg = svgWaterfall(report).replace(/^<\?xml[^>]*>\s*/, '');
  const out = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeHtml(title)}</h1>`,
    '<div class="summary">',
    tile('Grade', `<span class="grade grade-${grade}">${grade}</span> ${escapeHtml(label)}`),
    tile('Status', escapeHtml(analysis.status)),
    tile('Wall time', escapeHtml(formatMs(analysis.wallMs))),
    tile(
      'Parallel efficiency',
      `${escapeHtml(formatPercent(analysis.efficiency))} <span class="muted">of ${escapeHtml(formatPercent(analysis.bestEfficiency))} possible</span>`,
    ),
    tile(
      'Critical path',
      `${escapeHtml(path)} <span class="muted">${escapeHtml(formatMs(analysis.criticalPathMs))}</span>`,
    ),
    '</div>',
    `<p class="muted">Began ${escapeHtml(analysis.startedAt)}; plugins summed ${escapeHtml(formatMs(analysis.sumMs))}, ${escapeHtml(formatMs(analysis.slackMs))} lost to scheduling.</p>`,
    '<h2>Waterfall</h2>',
    `<figure class="waterfall">${svg}</figure>`,
    '<h2>Recommendations</h2>',
    recommendations(input.recommendations),
    '<h2>Recent starts</h2>',
    trendTable(input.trend, analysis, input.lastStarts ?? 20),
    '</main>',
    '</body>',
    '</html>',
  ];
  return `${out.join('\n')}\n`;
}

function tile(label: string, valueHtml: string): string {
  return `<div class="tile"><div class="label">${escapeHtml(label)}</div><div class="value">${valueHtml}</div></div>`;
}

function recommendations(list: readonly Recommendation[]): string {
  if (list.length === 0) return '<p class="muted">None.</p>';
  const items = list.map(
    (r) =>
      `<li class="${escapeHtml(r.severity)}"><span class="severity">${escapeHtml(r.severity)}</span>${escapeHtml(r.message)}` +
      `<div class="action">→ ${escapeHtml(r.action)}</div></li>`,
  );
  return `<ul class="recommendations">\n${items.join('\n')}\n</ul>`;
}

function trendTable(t: TrendResult | undefined, analysis: StartupAnalysis, last: number): string {
  if (t === undefined || t.points.length === 0) {
    return '<p class="muted">No history kept: give the monitor a history store to see the trend.</p>';
  }
  const points = t.points.slice(-last);
  const longest = Math.max(1, ...points.map((p) => p.wallMs));
  const rows = points.map((p) => {
    const g = startGrade(p.status, p.wallMs, analysis.thresholds).grade;
    const width = Math.max(0.5, (p.wallMs / longest) * 100).toFixed(1);
    return (
      `<tr class="${escapeHtml(p.status)}"><td>${escapeHtml(p.recordedAt)}</td><td>${escapeHtml(p.status)}</td>` +
      `<td>${escapeHtml(formatMs(p.wallMs))}</td><td><span class="grade grade-${g}">${g}</span></td>` +
      `<td class="bar"><span style="width: ${width}%"></span></td></tr>`
    );
  });
  const who = t.latest?.instance === undefined ? 'newest' : `instance ${t.latest.instance}`;
  const across =
    t.baselineInstances.length === 0
      ? ''
      : ` across ${t.baselineInstances.length === 1 ? 'instance' : `${t.baselineInstances.length} instances:`} ${t.baselineInstances.join(', ')}`;
  const regressed = t.plugins.filter((p) => p.regression).map((p) => p.plugin);
  const baseline =
    t.baselineMs === undefined
      ? 'No baseline yet (it needs completed starts before the newest).'
      : `Fleet baseline (median of ${t.baselineSize} completed starts before it${across}): ${formatMs(t.baselineMs)}` +
        (t.changePercent === undefined
          ? ''
          : `; ${who} ${t.changePercent >= 0 ? '+' : ''}${Math.round(t.changePercent)} %`) +
        (t.regression ? ` — a regression (over ${t.regressionPercent} %).` : '.') +
        (regressed.length > 0 ? ` Plugins over their own baseline: ${regressed.join(', ')}.` : '');
  return [
    `<table class="trend"><thead><tr><th>Recorded</th><th>Status</th><th>Wall time</th><th>Grade</th><th></th></tr></thead>`,
    `<tbody>\n${rows.join('\n')}\n</tbody></table>`,
    `<p class="muted">${escapeHtml(baseline)}</p>`,
  ].join('\n');
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
