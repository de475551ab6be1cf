import type { PluginContext } from '@startup/core';
import { httpServiceStartupError } from './classify-error.js';
import { checkUpstream } from './health-check.js';
import { errorContext, type ResolvedHttpServiceOptions } from './resolve-options.js';
import { RuntimeLink } from './runtime-status.js';
import { Upstream } from './upstream.js';

/** A started upstream and the link that reports its runtime loss and recovery. */
export interface StartedService {
  service: Upstream;
  link: RuntimeLink;
}

/**
 * One start attempt: opens the upstream's agent and asks the health URL (the step `health`). On failure or
 * abort, destroys every socket of the attempt before rejecting, with a classified {@link StartupError} (or the
 * signal's reason).
 */
export async function startService(
  ctx: PluginContext,
  options: ResolvedHttpServiceOptions,
): Promise<StartedService> {
  const context = errorContext(options);
  const link = new RuntimeLink(ctx.runtime, ctx.logger);
  const service = new Upstream(options, {
    answered: () => link.restored(),
    failed: (error) => link.lost(httpServiceStartupError(error, context)),
  });
  try {
    ctx.signal.throwIfAborted();
    const details = await ctx.step('health', () => checkUpstream(service, options, ctx.signal));
    ctx.logger.info('upstream ready', { target: options.baseUrl, ...details });
    ctx.signal.throwIfAborted();
    link.serve();
    return { service, link };
  } catch (error) {
    await service.destroy();
    throw ctx.signal.aborted ? ctx.signal.reason : httpServiceStartupError(error, context);
  }
}
