import { isStartupError, type StartupReport } from '@startup/core';
import { formatMs } from '@startup/monitor';
import type { Redact } from './redaction.js';

const interrupted = new Set(['STARTUP_ERR_ABORTED', 'STARTUP_ERR_DEADLINE']);

/**
 * Why the start failed, for a human: the outcome, then each service that did not start with its attempts
 * and last error. Every secret is removed.
 */
export function failureText(error: unknown, report: StartupReport, redact: Redact): string {
  const code = isStartupError(error) ? error.code : 'ERROR';
  const headline =
    code === 'STARTUP_ERR_DEADLINE'
      ? `Start-up failed: not every required service was reachable within the deadline (${formatMs(report.wallMs)})`
      : code === 'STARTUP_ERR_ABORTED'
        ? 'Start-up aborted'
        : 'Start-up failed';
  const lines = [`${headline} [${code}]`];
  for (const plugin of report.plugins) {
    if (plugin.status === 'ready') continue;
    if (plugin.attempts.length === 0) {
      const waited = plugin.dependsOn.length > 0 ? ` (it waits for ${plugin.dependsOn.join(', ')})` : '';
      lines.push(`  - ${plugin.name}: not started${waited}`);
      continue;
    }
    const errors = plugin.attempts.flatMap((a) => (a.error ? [a.error] : []));
    // The attempt cut short by the deadline says little; the failure before it says why.
    const last = errors.filter((e) => !interrupted.has(e.code ?? '')).at(-1) ?? errors.at(-1) ?? plugin.error;
    const tries = plugin.attempts.length === 1 ? '1 attempt' : `${plugin.attempts.length} attempts`;
    const why = last ? `${last.code ? `${last.code}: ` : ''}${last.message}` : 'no error recorded';
    lines.push(`  - ${plugin.name}: ${plugin.status} after ${tries}: ${why}`);
  }
  return `${redact(lines.join('\n'))}\n`;
}
