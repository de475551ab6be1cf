import type { Logger } from '@startup/core';
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import type { LogLevel } from './config.js';
import type { Redact } from './redaction.js';

/**
 * Pino options for Fastify: the level, the API key header censored, and every written line passed through
 * `redact` so no secret of the configuration reaches the log, whichever code logged it.
 */
export function loggerOptions(level: LogLevel, redact: Redact): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    redact: { paths: ['req.headers["x-api-key"]', 'req.headers.authorization'], censor: '****' },
    hooks: { streamWrite: redact },
  };
}

/**
 * Core's {@link Logger} on top of Fastify's pino logger. While `quiet()` returns true (the live progress
 * is being drawn in a terminal), info and debug lines are dropped so they do not tear the picture.
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
