import type { Logger } from '@startup/core';
import type { FastifyBaseLogger } from 'fastify';
import { type Logger as PinoLogger, pino } from 'pino';
import type { LogLevel } from './config.js';
import type { Redact } from './redaction.js';

/** Where the log lines go: stdout, or above a live progress display drawn on the same terminal. */
export interface LogOutput {
  write(line: string): void;
  /** From now on each line goes through `display.writeAbove` (`undefined`: straight to stdout again). */
  above(display: { writeAbove(write: () => void): void } | undefined): void;
}

/** A {@link LogOutput} writing to `stdout` (defaults to `process.stdout`). */
export function logOutput(stdout: Pick<NodeJS.WritableStream, 'write'> = process.stdout): LogOutput {
  let display: { writeAbove(write: () => void): void } | undefined;
  return {
    write(line) {
      if (display) display.writeAbove(() => stdout.write(line));
      else stdout.write(line);
    },
    above(next) {
      display = next;
    },
  };
}

/**
 * The service's pino logger, created before the web framework loads (Fastify gets it as `loggerInstance`): the
 * level, the API key header censored, every written line passed through `redact` so no secret of the configuration
 * reaches the log, whichever code logged it, and written synchronously to `output` (defaults to stdout), so a live
 * progress display can keep it above its lines.
 */
export function sampleLogger(level: LogLevel, redact: Redact, output: LogOutput = logOutput()): PinoLogger {
  return pino(
    {
      level,
      redact: { paths: ['req.headers["x-api-key"]', 'req.headers.authorization'], censor: '****' },
      hooks: { streamWrite: redact },
    },
    output,
  );
}

/**
 * Core's {@link Logger} on top of Fastify's pino logger. While `quiet()` returns true (the live progress
 * is being drawn in a terminal), info and debug lines are dropped: the picture already says the same.
 */
export function startupLogger(log: FastifyBaseLogger, quiet: () => boolean = () => false): Logger {
  const child = log.child({ component: 'startup' });
  return {
    debug: (message, fields) => {
      if (!quiet()) child.debug(fields ?? {}, message);
    },
    info: (message, fields) => {
      if (!quiet()) child.info(fields ?? {}, message);
    },
    warn: (message, fields) => child.warn(fields ?? {}, message),
    error: (message, fields) => child.error(fields ?? {}, message),
  };
}
