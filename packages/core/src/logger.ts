/** Where the library writes what it does. Pino, bunyan and console adapters are one line each. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const noop = () => {};

/** A logger that writes nothing: the default, since a library should not print on its own. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

/** A logger whose every line carries `fields` (e.g. `{ plugin: 'postgres' }`). */
export function childLogger(logger: Logger, fields: Record<string, unknown>): Logger {
  const child = { ...silentLogger };
  for (const level of Object.keys(child) as (keyof Logger)[]) {
    child[level] = (message, more) => logger[level](message, { ...fields, ...more });
  }
  return child;
}
