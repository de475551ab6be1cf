import type { Logger } from '@startup/core';

/**
 * A logger that appends every line to `lines` as text (`level message {fields}`), so a test can search
 * what a plugin logged, e.g. for a password that must never appear.
 */
export function recordingLogger(lines: string[]): Logger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
