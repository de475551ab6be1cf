import type { VariantComparison, VariantSummary } from './compare.js';
import { verdict } from './compare.js';
import { formatMs } from './format.js';
import { tickLabel, timeAxis } from './time-axis.js';
import { escapeXml } from './xml-escape.js';

const margin = 16;
const chartWidth = 640;
const rowHeight = 56;
const top = 70;

const style = `
text { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; font-size: 12px; fill: #1f2328; }
.title { font-size: 15px; font-weight: 600; }
.sub, .tick { fill: #59636e; }
.tick { font-size: 11px; }
.grid { stroke: #d1d9e0; stroke-width: 1; }
.start { fill: #0969da; opacity: 0.55; }
.median { stroke: #1f2328; stroke-width: 3; }
.p95 { stroke: #cf222e; stroke-width: 2; }
`;

/**
 * A standalone SVG of an A/B comparison: one row per variant with a dot per completed start on a shared time
 * axis, its median (black bar) and p95 (red bar), and the test's verdict as the subtitle. Every text is escaped.
 */
export function svgComparison(c: VariantComparison): string {
  const rows = [c.a, c.b];
  const labelWidth = Math.max(90, Math.ceil(Math.max(...rows.map((r) => r.variant.length)) * 7.2) + 28);
  const x0 = margin + labelWidth;
  const axis = timeAxis(Math.max(1, ...c.a.wallMs, ...c.b.wallMs), 8);
  const x = (ms: number) => x0 + (ms / axis.endMs) * chartWidth;
  const bottom = top + rows.length * rowHeight;
  const width = x0 + chartWidth + 150 + margin;
  const height = bottom + 40;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<style>${style}</style>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text class="title" x="${margin}" y="24">${escapeXml(`Start time: ${c.a.variant} vs ${c.b.variant}`)}</text>`,
    `<text class="sub" x="${margin}" y="44">${escapeXml(verdict(c))}</text>`,
  ];
  for (const tick of axis.ticks) {
    out.push(
      `<line class="grid" x1="${x(tick)}" y1="${top - 6}" x2="${x(tick)}" y2="${bottom}"/>`,
      `<text class="tick" x="${x(tick)}" y="${bottom + 16}" text-anchor="middle">${tickLabel(tick, axis.unit)}</text>`,
    );
  }
  out.push(`<text class="tick" x="${x0 + chartWidth + 8}" y="${bottom + 16}">${axis.unit}</text>`);
  for (const [i, row] of rows.entries()) {
    out.push(...variantRow(row, top + i * rowHeight, x, x0 + chartWidth + 12));
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function variantRow(row: VariantSummary, y: number, x: (ms: number) => number, right: number): string[] {
  const mid = y + rowHeight / 2 - 6;
  const out = [`<g class="variant"><title>${escapeXml(`${row.variant}: ${row.n} starts`)}</title>`];
  out.push(`<text x="${margin}" y="${mid + 4}">${escapeXml(row.variant)}</text>`);
  // Starts spread over three lanes so equal times stay visible.
  row.wallMs.forEach((ms, k) => {
    out.push(
      `<circle class="start" cx="${x(ms)}" cy="${mid + ((k % 3) - 1) * 6}" r="3.5"><title>${formatMs(ms)}</title></circle>`,
    );
  });
  if (row.medianMs !== undefined) {
    out.push(
      `<line class="median" x1="${x(row.medianMs)}" y1="${mid - 14}" x2="${x(row.medianMs)}" y2="${mid + 14}"/>`,
    );
  }
  if (row.p95Ms !== undefined) {
    out.push(
      `<line class="p95" x1="${x(row.p95Ms)}" y1="${mid - 10}" x2="${x(row.p95Ms)}" y2="${mid + 10}"/>`,
    );
  }
  const figures =
    row.medianMs === undefined
      ? 'no completed start'
      : `median ${formatMs(row.medianMs)}, p95 ${formatMs(row.p95Ms!)}`;
  out.push(
    `<text class="sub" x="${right}" y="${mid + 4}">${escapeXml(`n=${row.n}, ${figures}`)}</text>`,
    '</g>',
  );
  return out;
}
