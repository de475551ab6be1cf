import type { JetStreamClient, JetStreamManager, JetStreamManagerOptions } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { StartupError } from '@startup/core';
import { abortable, loadClientLibrary } from '@startup/core/plugin-kit';
import type { ResolvedJetStreamOptions } from './resolve-options.js';

/** `@nats-io/jetstream`, an optional peer dependency loaded only when JetStream is asked for. */
export type JetStreamModule = typeof import('@nats-io/jetstream');

/** The JetStream handles of a started connection. */
export interface JetStreamHandles {
  /** Publishing and consuming: `js.publish(subject, data)`. */
  readonly js: JetStreamClient;
  /** Streams and consumers administration, account info. */
  readonly jsm: JetStreamManager;
}

// One loader for every start: loadClientLibrary loads what it once loaded only once.
const importJetStream = () => import('@nats-io/jetstream');

/** Imports `@nats-io/jetstream`; a missing package is a permanent `STARTUP_ERR_NATS_JETSTREAM` saying what to install. */
export async function loadJetStream(plugin: string): Promise<JetStreamModule> {
  try {
    return await loadClientLibrary(importJetStream, 'jetstreamManager', {
      plugin,
      package: '@nats-io/jetstream',
    });
  } catch (error) {
    const cause = error instanceof Error ? error.cause : error;
    throw new StartupError(
      'STARTUP_ERR_NATS_JETSTREAM',
      `Plugin "${plugin}": "jetstream" is set but @nats-io/jetstream cannot be loaded: add it to the application's dependencies`,
      { plugin, cause, retryable: false },
    );
  }
}

/**
 * Opens the JetStream handles and proves JetStream answers with the account info (a real API round trip).
 * Rejects with nats.js' error (e.g. `JetStreamNotEnabled`), or `signal.reason` when aborted.
 */
export async function openJetStream(
  module: JetStreamModule,
  nc: NatsConnection,
  options: ResolvedJetStreamOptions,
  signal: AbortSignal,
): Promise<JetStreamHandles> {
  const opts: JetStreamManagerOptions = { timeout: options.timeout };
  if (options.domain !== undefined) opts.domain = options.domain;
  if (options.apiPrefix !== undefined) opts.apiPrefix = options.apiPrefix;
  // checkAPI: false, so the account info below is the one round trip, bounded by `signal`.
  const jsm = await abortable(module.jetstreamManager(nc, { ...opts, checkAPI: false }), signal);
  await abortable(jsm.getAccountInfo(), signal);
  return { js: module.jetstream(nc, opts), jsm };
}
