import type { BreakerOptions } from './breaker.js';
import type { Bulkhead } from './bulkhead.js';
import type { Logger } from './logger.js';
import type { RetryOptions } from './retry.js';

/** What a plugin's `init` receives. `Deps` maps each dependency's name to its resource. */
export interface PluginContext<Deps extends object = {}> {
  /** The resources of the plugins named in `dependsOn`, all ready. */
  readonly deps: Readonly<Deps>;
  /** Aborted when this attempt times out, the start fails elsewhere, or the start is cancelled. Pass it on. */
  readonly signal: AbortSignal;
  /** The application's logger, with `{ plugin: name }` on every line. */
  readonly logger: Logger;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /**
   * Runs `fn` as a named sub-step ("connect", "warm pool") whose timing appears in the start-up report.
   * Returns what `fn` returns; a throw is recorded on the step and re-thrown.
   */
  step<T>(name: string, fn: () => Promise<T> | T): Promise<T>;
  /**
   * Reports runtime loss (`down`) and recovery (`up`) of the resource after it started, for events,
   * health and the breaker. Safe to call at any time, also long after `init` returned.
   */
  readonly runtime: RuntimeReporter;
}

/**
 * See {@link PluginContext.runtime}. An outage reported with `down()` stands until `up()`: health shows the plugin
 * failing (`warn` when optional) with the reported error, redacted, whatever its health check says meanwhile. A
 * check that passes then neither hides the outage nor counts as a success on the breaker; one that fails counts
 * as a failure, and an open breaker spares the backend. Reports before the plugin started, or after it closed,
 * are ignored.
 */
export interface RuntimeReporter {
  /**
   * The connection is lost or unusable; `error` says why (defaults to `Error('connection lost')`). Counts one
   * failure on the plugin's breaker, once per outage: a further call counts only when its error has another
   * `code` (say, reconnecting → gave up), and then replaces the error health shows.
   */
  down(error?: unknown): void;
  /**
   * The connection works again: ends the outage and closes the breaker (failure count 0), so the next health
   * run shows the plugin's own check again. Does nothing when no outage was reported.
   */
  up(): void;
}

/** What `close` and `healthCheck` receive. */
export interface ResourceContext {
  /** Aborted when the close or check has run out of time: give up gracefully and force. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

/** What a health check may return besides passing: figures shown in the health result (pool sizes, RTT…). */
export type HealthDetails = Record<string, string | number | boolean | null>;

/** Timeouts of a plugin, each in milliseconds. */
export interface PluginTimeouts {
  /** One `init` attempt. Defaults to the runner's `defaults.attemptTimeoutMs` (10000). */
  attemptMs?: number;
  /** All attempts and waits of this plugin together. Defaults to the runner's `defaults.pluginTimeoutMs` (`Infinity`: the global deadline bounds it). */
  pluginMs?: number;
  /**
   * `close`, after which its signal aborts and the plugin is left behind; also how long closing waits for an
   * abandoned `init` attempt to end. Defaults to the runner's `defaults.closeTimeoutMs` (10000).
   */
  closeMs?: number;
  /** One health check. Defaults to the runner's `health.timeoutMs` (5000, the spec's default). */
  healthMs?: number;
}

/**
 * A unit of start-up: it turns its dependencies into a resource (a pool, a client, anything).
 * `Name` and `Resource` flow into the started application's typed `resources`.
 */
export interface Plugin<Name extends string = string, Resource = unknown, Deps extends object = any> {
  /** Unique within an application. */
  readonly name: Name;
  /** Names of the plugins whose resources `init` needs. They are ready before `init` runs. */
  readonly dependsOn?: readonly string[];
  /** An optional plugin's failure skips its dependents and the application starts degraded. Defaults to `false`. */
  readonly optional?: boolean;
  /** Creates the resource. Called once per attempt until it resolves; must honour `ctx.signal`. */
  init(ctx: PluginContext<Deps>): Promise<Resource> | Resource;
  /** Releases the resource; called in reverse dependency order at shutdown or rollback. */
  close?(resource: Resource, ctx: ResourceContext): Promise<void> | void;
  /** A real round trip; throw (or reject) when unhealthy. May return figures to show. */
  healthCheck?(
    resource: Resource,
    ctx: ResourceContext,
  ): Promise<HealthDetails | undefined | void> | HealthDetails | undefined | void;
  /** Retry policy of `init`, or `false` for a single attempt. Defaults to the runner's `defaults.retry`. */
  readonly retry?: RetryOptions | false;
  /** Breaker fed by health checks and runtime reports. Defaults to the runner's `defaults.breaker`. */
  readonly breaker?: BreakerOptions;
  /** Per-plugin timeouts. */
  readonly timeouts?: PluginTimeouts;
  /**
   * A {@link Bulkhead} shared with the plugins that reach the same backend: each `init` attempt waits for a place
   * in it (bounded by the plugin timeout and the deadline, not by the attempt timeout) and holds it until the
   * attempt resolves, fails or is given up on. Defaults to none (attempts run as soon as dependencies are ready).
   */
  readonly bulkhead?: Bulkhead;
}

/** Any plugin, whatever its name, resource and dependencies. */
export type AnyPlugin = Plugin<string, any, any>;

/** The resource type of a plugin. */
export type ResourceOf<P> = P extends Plugin<string, infer R, any> ? Awaited<R> : never;

/** The started application's resources: plugin name → resource, e.g. `{ postgres: pg.Pool }`. */
export type ResourcesOf<Plugins extends readonly AnyPlugin[]> = {
  [P in Plugins[number] as P['name']]: ResourceOf<P>;
};

/**
 * Declares a plugin with its types inferred. Give `Deps` explicitly to type the dependencies' resources:
 * `definePlugin<{ postgres: Pool }>()({ name: 'repo', dependsOn: ['postgres'], init: ({ deps }) => … })`,
 * or call it directly when there are none: `definePlugin({ name: 'clock', init: () => Date })`.
 */
export function definePlugin<Name extends string, Resource>(
  plugin: Plugin<Name, Resource, {}>,
): Plugin<Name, Resource, {}>;
export function definePlugin<Deps extends object>(): <Name extends string, Resource>(
  plugin: Plugin<Name, Resource, Deps>,
) => Plugin<Name, Resource, Deps>;
export function definePlugin(plugin?: AnyPlugin): unknown {
  return plugin ?? ((p: AnyPlugin) => p);
}
