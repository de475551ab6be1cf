import type { Plugin } from '@startup/core';
import type pg from 'pg';
import { postgresStartupError } from './classify-error.js';
import { checkPool } from './health-check.js';
import { closePool } from './managed-pool.js';
import type { PostgresPluginOptions } from './options.js';
import { errorContext, resolvePostgresOptions } from './resolve-options.js';
import type { RuntimeLink } from './runtime-status.js';
import { startPool } from './start-pool.js';

/** What `postgres()` starts: a connected, verified and warmed `pg.Pool`. */
export type PostgresResource = pg.Pool;

/** The plugin `postgres()` makes: a core `Plugin` whose resource is a {@link PostgresResource}. */
export type PostgresPlugin<Name extends string = 'postgres'> = Plugin<Name, PostgresResource, {}>;

/**
 * A `@startup/core` plugin whose resource is a `pg.Pool`, connected, verified with a query and warmed before the
 * application starts; see {@link PostgresPluginOptions} for every default. Options are checked here, before
 * anything connects: a bad one throws `STARTUP_ERR_INVALID_OPTION` naming the field.
 *
 * ```ts
 * const app = createStartup([postgres({ url: process.env.DATABASE_URL })]);
 * const { postgres: pool } = await app.start();
 * ```
 */
export function postgres<const Name extends string = 'postgres'>(
  options: PostgresPluginOptions<Name> = {},
): PostgresPlugin<NoInfer<Name>> {
  const resolved = resolvePostgresOptions(options);
  const links = new WeakMap<pg.Pool, RuntimeLink>();
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
        throw ctx.signal.aborted ? ctx.signal.reason : postgresStartupError(error, context);
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
