import type { Plugin } from '@startup/core';
import type { Pool } from 'mysql2/promise';
import { mysqlStartupError } from './classify-error.js';
import { checkPool } from './health-check.js';
import { closePool } from './managed-pool.js';
import type { MysqlPluginOptions } from './options.js';
import { errorContext, resolveMysqlOptions } from './resolve-options.js';
import type { RuntimeLink } from './runtime-status.js';
import { startPool } from './start-pool.js';

/** What `mysql()` starts: a connected, verified and warmed `mysql2/promise` `Pool`. */
export type MysqlResource = Pool;

/** The plugin `mysql()` makes: a core `Plugin` whose resource is a {@link MysqlResource}. */
export type MysqlPlugin<Name extends string = 'mysql'> = Plugin<Name, MysqlResource, {}>;

/**
 * A `@startup/core` plugin whose resource is a `mysql2/promise` `Pool`, connected, verified with `SELECT 1` and
 * warmed before the application starts; see {@link MysqlPluginOptions} for every default. Options are checked
 * here, before anything connects: a bad one throws `STARTUP_ERR_INVALID_OPTION` naming the field.
 *
 * ```ts
 * const app = createStartup([mysql({ url: process.env.MYSQL_URL })]);
 * const { mysql: pool } = await app.start();
 * ```
 */
export function mysql<const Name extends string = 'mysql'>(
  options: MysqlPluginOptions<Name> = {},
): MysqlPlugin<NoInfer<Name>> {
  const resolved = resolveMysqlOptions(options);
  const links = new WeakMap<Pool, RuntimeLink>();
  const context = errorContext(resolved);
  return {
    name: resolved.name as Name,
    ...resolved.settings,
    async init(ctx) {
      const { pool, link } = await startPool(ctx, resolved);
      links.set(pool, link);
      return pool;
    },
    async healthCheck(pool, ctx) {
      const link = links.get(pool);
      try {
        const details = await checkPool(pool, ctx);
        link?.restored();
        return details;
      } catch (error) {
        throw ctx.signal.aborted ? ctx.signal.reason : mysqlStartupError(error, context);
      }
    },
    async close(pool, ctx) {
      links.get(pool)?.retire();
      const graceMs = resolved.closeGraceMs;
      await closePool(pool, {
        graceMs,
        signal: ctx.signal,
        onGraceOver: (open) =>
          ctx.logger.warn('connections still busy after the close grace: destroyed', { open, graceMs }),
      });
    },
  };
}
