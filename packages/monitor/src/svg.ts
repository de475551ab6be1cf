import type { PluginReport, StartupReport } from '@startup/core';
import { errorText } from './error-text.js';
import { formatMs } from './format.js';
import { pluginDuration, pluginTimeline, type TimelineSegment, timelineEnd } from './plugin-timeline.js';
import { tickLabel, timeAxis } from './time-axis.js';
import { escapeXml } from './xml-escape.js';

const margin = 16;
const chartWidth = 800;
const rightWidth = 170;
const rowHeight = 24;
const top = 78;
const legendHeight = 44;

const style = `
text { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; font-size: 12px; fill: #1f2328; }
.title { font-size: 15px; font-weight: 600; }
.sub, .tick, .duration { fill: #59636e; }
.tick { font-size: 11px; }
.grid { stroke: #d1d9e0; stroke-width: 1; }
.waiting { fill: #d1d9e0; }
.failed { fill: #cf222e; }
.backoff { fill: #d4a72c; }
.success { fill: #1a7f37; }
.running { fill: #0969da; }
.step { fill: #8250df; opacity: 0.85; }
.critical-row { fill: #f6f0ff; }
.legend .critical-row { stroke: #6639ba; stroke-width: 1; }
.critical .name { font-weight: 700; }
.critical .success, .critical .failed, .critical .running { stroke: #6639ba; stroke-width: 1.5; }
.status-failed .duration, .status-aborted .duration { fill: #cf222e; }
`;

/**
 * A standalone SVG waterfall of one start, like `systemd-analyze plot`: a time axis with ticks and grid
 * lines, one row per plugin with its wait on dependencies, failed attempts, backoff and the attempt that
 * made it ready, its `ctx.step()` sub-steps as a thin band under the bar, the critical path highlighted,
 * the duration beside each bar, a tooltip (`<title>`) on every segment and a legend. Every text is escaped.
 */
export function svgWaterfall(report: StartupReport): string {
  const labelWidth = Math.max(
    90,
    Math.ceil(Math.max(0, ...report.plugins.map((p) => p.name.length)) * 7.2) + 28,
  );
  const x0 = margin + labelWidth;
  const axis = timeAxis(timelineEnd(report), 10);
  const scale = chartWidth / axis.endMs;
  const rowsBottom = top + report.plugins.length * rowHeight;
  const width = x0 + chartWidth + rightWidth + margin;
  const height = rowsBottom + legendHeight;
  const x = (ms: number) => x0 + ms * scale;
  const critical = new Set(report.criticalPath);

  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<style>${style}</style>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text class="title" x="${margin}" y="24">${escapeXml(titleOf(report))}</text>`,
    `<text class="sub" x="${margin}" y="44">${escapeXml(subtitleOf(report))}</text>`,
  ];
  for (const tick of axis.ticks) {
    const tx = num(x(tick));
    out.push(`<line class="grid" x1="${tx}" y1="${top - 6}" x2="${tx}" y2="${rowsBottom}"/>`);
    out.push(
      `<text class="tick" x="${tx}" y="${top - 10}" text-anchor="middle">${tickLabel(tick, axis.unit)}</text>`,
    );
  }
  out.push(`<text class="tick" x="${num(x(axis.endMs) + 14)}" y="${top - 10}">${axis.unit}</text>`);

  report.plugins.forEach((plugin, i) => {
    const y = top + i * rowHeight;
    const onPath = critical.has(plugin.name);
    const classes = ['plugin', `status-${plugin.status}`, ...(onPath ? ['critical'] : [])].join(' ');
    out.push(`<g class="${classes}" data-plugin="${escapeXml(plugin.name)}">`);
    out.push(`<title>${escapeXml(rowTitle(plugin, report.wallMs, onPath))}</title>`);
    if (onPath) {
      out.push(
        `<rect class="critical-row" x="${margin}" y="${y}" width="${width - 2 * margin}" height="${rowHeight}"/>`,
      );
    }
    out.push(
      `<text class="name" x="${margin + 4}" y="${y + 16}">${escapeXml(plugin.name)}${onPath ? ' *' : ''}</text>`,
    );
    for (const segment of pluginTimeline(plugin, report.wallMs)) {
      const left = x(segment.startMs);
      const w = Math.max(1, (segment.endMs - segment.startMs) * scale);
      out.push(
        `<rect class="${segment.kind}" x="${num(left)}" y="${y + 4}" width="${num(w)}" height="14">` +
          `<title>${escapeXml(segmentTitle(plugin.name, segment))}</title></rect>`,
      );
    }
    for (const step of plugin.steps) {
      const end = step.endMs ?? report.wallMs;
      const w = Math.max(1, (end - step.startMs) * scale);
      const what = `${plugin.name} · step ${step.name} (attempt ${step.attempt}): ${formatMs(end - step.startMs)}`;
      const failed = step.error ? `, failed: ${errorText(step.error)}` : '';
      out.push(
        `<rect class="step" x="${num(x(step.startMs))}" y="${y + 19}" width="${num(w)}" height="3">` +
          `<title>${escapeXml(what + failed)}</title></rect>`,
      );
    }
    const right = num(x0 + chartWidth + 12);
    out.push(
      `<text class="duration" x="${right}" y="${y + 16}">${escapeXml(durationText(plugin, report.wallMs))}</text>`,
    );
    out.push('</g>');
  });
  out.push(...legend(margin, rowsBottom + 26));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function titleOf(report: StartupReport): string {
  const verb = report.status === 'starting' ? 'running for' : `${report.status} in`;
  return `Start ${verb} ${formatMs(report.wallMs)} · began ${report.startedAt}`;
}

function subtitleOf(report: StartupReport): string {
  const path = report.criticalPath.length > 0 ? report.criticalPath.join(' → ') : 'none';
  return `critical path ${path} (${formatMs(report.criticalPathEndMs)}) · plugins summed ${formatMs(report.sumMs)}`;
}

function durationText(plugin: PluginReport, nowMs: number): string {
  const duration = pluginDuration(plugin, nowMs);
  const time = duration === undefined ? '' : formatMs(duration);
  const tries = plugin.attempts.length > 1 ? ` · ${plugin.attempts.length} tries` : '';
  if (plugin.status === 'ready') return `${time}${tries}`;
  return `${time} ${plugin.status}${tries}`.trim();
}

function rowTitle(plugin: PluginReport, nowMs: number, onPath: boolean): string {
  const deps = plugin.dependsOn.length > 0 ? ` · depends on ${plugin.dependsOn.join(', ')}` : '';
  const skipped = plugin.skippedBecause ? ` because ${plugin.skippedBecause} failed` : '';
  const error = plugin.error ? ` · ${errorText(plugin.error)}` : '';
  return `${plugin.name}: ${durationText(plugin, nowMs)}${skipped}${deps}${onPath ? ' · critical path' : ''}${error}`;
}

function segmentTitle(name: string, segment: TimelineSegment): string {
  const took = formatMs(segment.endMs - segment.startMs);
  const span = `${formatMs(segment.startMs)} → ${formatMs(segment.endMs)}`;
  switch (segment.kind) {
    case 'waiting':
      return `${name} waiting on dependencies: ${took} (${span})`;
    case 'backoff':
      return `${name} backoff after attempt ${segment.attempt}: ${took} (${span})`;
    case 'failed':
      return `${name} attempt ${segment.attempt} failed after ${took} (${span}): ${errorText(segment.error)}`;
    case 'running':
      return `${name} attempt ${segment.attempt} running for ${took} (${span})`;
    default:
      return `${name} attempt ${segment.attempt} ready after ${took} (${span})`;
  }
}

function legend(left: number, y: number): string[] {
  const items: [string, string][] = [
    ['waiting', 'waiting on dependencies'],
    ['failed', 'failed attempt'],
    ['backoff', 'backoff'],
    ['success', 'attempt that succeeded'],
    ['running', 'running'],
    ['step', 'ctx.step()'],
    ['critical-row', 'critical path (*)'],
  ];
  const out: string[] = ['<g class="legend">'];
  let lx = left;
  for (const [kind, text] of items) {
    out.push(`<rect class="${kind}" x="${lx}" y="${y - 10}" width="14" height="12"/>`);
    out.push(`<text x="${lx + 19}" y="${y}">${escapeXml(text)}</text>`);
    lx += 19 + Math.ceil(text.length * 6.6) + 18;
  }
  out.push('</g>');
  return out;
}

function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}
