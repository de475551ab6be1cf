import type { ErrorInfo, PluginReport, StartupReport } from '@startup/core';
import type { HistoryEntry } from './history-store.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const controls = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * `text` safe to write to a terminal: every C0 control character (newline and tab included) becomes its
 * Unicode control picture (ESC → `␛`), DEL becomes `␡` and every C1 control character `�`. Plugin names
 * and servers' error messages go through it, so none can move the cursor, clear the screen or recolour.
 */
export function printable(text: string): string {
  return text.replace(controls, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 ? String.fromCharCode(0x2400 + code) : code === 0x7f ? '\u2421' : '\ufffd';
  });
}

/** A copy of `report` whose every text (names, steps, errors) is {@link printable}. */
export function printableReport(report: StartupReport): StartupReport {
  const copy: StartupReport = {
    ...report,
    startedAt: printable(report.startedAt),
    criticalPath: report.criticalPath.map(printable),
    plugins: report.plugins.map(printablePlugin),
  };
  if (report.error) copy.error = printableError(report.error);
  return copy;
}

/** A copy of `entry` whose report, service, instance and date are {@link printable}. */
export function printableEntry(entry: HistoryEntry): HistoryEntry {
  const copy: HistoryEntry = {
    ...entry,
    recordedAt: printable(entry.recordedAt),
    report: printableReport(entry.report),
  };
  if (entry.service !== undefined) copy.service = printable(entry.service);
  if (entry.instance !== undefined) copy.instance = printable(entry.instance);
  return copy;
}

function printablePlugin(p: PluginReport): PluginReport {
  const copy: PluginReport = {
    ...p,
    name: printable(p.name),
    dependsOn: p.dependsOn.map(printable),
    attempts: p.attempts.map((a) => (a.error ? { ...a, error: printableError(a.error) } : a)),
    steps: p.steps.map((s) => ({
      ...s,
      name: printable(s.name),
      ...(s.error ? { error: printableError(s.error) } : {}),
    })),
  };
  if (p.error) copy.error = printableError(p.error);
  if (p.skippedBecause !== undefined) copy.skippedBecause = printable(p.skippedBecause);
  return copy;
}

// Messages are shown on one line: line breaks become spaces rather than pictures.
function printableError(error: ErrorInfo): ErrorInfo {
  const message = printable(error.message.replace(/\s+/g, ' '));
  const copy: ErrorInfo = { ...error, name: printable(error.name), message };
  for (const key of ['code', 'plugin', 'cause'] as const) {
    const value = error[key];
    if (value !== undefined) copy[key] = printable(value);
  }
  return copy;
}
