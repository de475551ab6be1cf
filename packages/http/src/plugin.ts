import type { Plugin } from '@startup/core';
import { httpServiceStartupError } from './classify-error.js';
import { closeService } from './close-service.js';
import { checkUpstream } from './health-check.js';
import type { HttpServicePluginOptions } from './options.js';
import { errorContext, resolveHttpServiceOptions } from './resolve-options.js';
import type { RuntimeLink } from './runtime-status.js';
import { startService } from './start-service.js';
import type { HttpService, Upstream } from './upstream.js';

/** What `httpService()` starts: an {@link HttpService}, the upstream's checked base URL and a bounded `fetch`. */
export type HttpServiceResource = HttpService;

/** The plugin `httpService()` makes: a core `Plugin` whose resource is an {@link HttpServiceResource}. */
export type HttpServicePlugin<Name extends string = string> = Plugin<Name, HttpServiceResource, {}>;

/**
 * A `@startup/core` plugin for one HTTP upstream: its resource is an {@link HttpService} (the checked base URL and a
 * `fetch` bound to it with timeouts), ready once the upstream's health URL answers as expected; see
 * {@link HttpServicePluginOptions} for every default. Options are checked here, before anything connects: a bad
 * one throws `STARTUP_ERR_INVALID_OPTION` naming the field.
 *
 * ```ts
 * const app = createStartup([httpService({ name: 'billing', url: process.env.BILLING_URL })]);
 * const { billing } = await app.start();
 * const invoice = await billing.fetch('invoices/42').then((r) => r.json());
 * ```
 */
export function httpService<const Name extends string>(
  options: HttpServicePluginOptions<Name>,
): HttpServicePlugin<NoInfer<Name>> {
  const resolved = resolveHttpServiceOptions(options);
  const started = new WeakMap<HttpService, { service: Upstream; link: RuntimeLink }>();
  const context = errorContext(resolved);
  return {
    name: resolved.name as Name,
    ...resolved.settings,
    async init(ctx) {
      const { service, link } = await startService(ctx, resolved);
      started.set(service, { service, link });
      return service;
    },
    async healthCheck(service, ctx) {
      try {
        return await checkUpstream(service, resolved, ctx.signal);
      } catch (error) {
        throw ctx.signal.aborted ? ctx.signal.reason : httpServiceStartupError(error, context);
      }
    },
    async close(service, ctx) {
      const own = started.get(service);
      if (!own) return;
      own.link.retire();
      await closeService(own.service, ctx.signal);
    },
  };
}
