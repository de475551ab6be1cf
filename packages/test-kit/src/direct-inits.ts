import { type AnyPlugin, isStartupError, type ResourceOf, type StartupError } from '@startup/core';
import { type ContextRecord, pluginContext, resourceContext } from './plugin-context.js';

/** A resource a {@link DirectInits} opened. */
export interface DirectStart<Resource> {
  resource: Resource;
  record: ContextRecord;
  /** As `pluginContext`'s: resolves once `count` runtime reports of `type` were recorded. */
  nextRuntime(type: 'down' | 'up', count?: number, withinMs?: number): Promise<void>;
}

/**
 * A plugin's `init` called directly, without core's runner, with a hand-made context; every resource it opens is
 * kept until {@link DirectInits.closeAll} (call it after each test), so no test leaves one behind.
 */
export interface DirectInits {
  /** Runs `init` (its signal `signal`, if given) and keeps the resource. */
  start<P extends AnyPlugin>(plugin: P, signal?: AbortSignal): Promise<DirectStart<ResourceOf<P>>>;
  /**
   * What `init` rejects with (any value, an abort reason included) and what its context recorded. An `init` that
   * resolves instead fails the call (the resource is kept, to be closed).
   */
  failure(plugin: AnyPlugin, signal?: AbortSignal): Promise<{ error: unknown; record: ContextRecord }>;
  /** {@link DirectInits.failure}, rejecting with the error itself unless it is a `StartupError`. */
  startupFailure(
    plugin: AnyPlugin,
    signal?: AbortSignal,
  ): Promise<{ error: StartupError; record: ContextRecord }>;
  /** Closes every resource kept, in the order opened, with its plugin's `close`; resolves with them. */
  closeAll(): Promise<unknown[]>;
}

/** A new {@link DirectInits}, holding nothing. */
export function directInits(): DirectInits {
  const opened: { plugin: AnyPlugin; resource: unknown }[] = [];
  const failure = async (plugin: AnyPlugin, signal?: AbortSignal) => {
    const { ctx, record } = pluginContext({ signal });
    const error = await Promise.resolve(plugin.init(ctx)).then(
      (resource) => {
        opened.push({ plugin, resource });
        throw new Error(`init of "${plugin.name}" resolved; a failure was expected`);
      },
      (e: unknown) => e,
    );
    return { error, record };
  };
  return {
    async start(plugin, signal) {
      const { ctx, record, nextRuntime } = pluginContext({ signal });
      const resource = await plugin.init(ctx);
      opened.push({ plugin, resource });
      return { resource, record, nextRuntime };
    },
    failure,
    async startupFailure(plugin, signal) {
      const { error, record } = await failure(plugin, signal);
      if (!isStartupError(error)) throw error;
      return { error, record };
    },
    async closeAll() {
      const resources: unknown[] = [];
      for (const { plugin, resource } of opened.splice(0)) {
        await plugin.close?.(resource, resourceContext());
        resources.push(resource);
      }
      return resources;
    },
  };
}
