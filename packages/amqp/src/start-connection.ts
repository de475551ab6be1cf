import type { PluginContext } from '@startup/core';
import { abortable } from '@startup/core/plugin-kit';
import { type ChannelModel, connect, type Options, type SocketOptions } from 'amqplib';
import { amqpStartupError } from './classify-error.js';
import { destroyConnection } from './connection-socket.js';
import type { ResolvedAmqpOptions } from './resolve-options.js';

/**
 * Opens the connection (report step `connect`) and verifies it by opening and closing a channel (step `verify`),
 * each within `connectTimeoutMs`. On any failure, or when `ctx.signal` aborts, nothing is left open: a connection
 * that opens after the attempt gave up is destroyed as it arrives, and a silent broker's socket is ended by
 * amqplib's idle timeout (also `connectTimeoutMs`). Rejects with the signal's reason or a classified `StartupError`.
 */
export async function startConnection(
  ctx: PluginContext,
  options: ResolvedAmqpOptions,
): Promise<ChannelModel> {
  const fail = (error: unknown): never => {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    throw amqpStartupError(error, {
      plugin: options.name,
      target: options.target,
      secrets: options.secrets,
      retryUnresolvedHost: options.retryUnresolvedHost,
    });
  };
  const model = await ctx.step('connect', () => openConnection(options, ctx.signal).catch(fail));
  await ctx.step('verify', async () => {
    try {
      const channel = await within(model.createChannel(), ctx.signal, options, 'channel.open-ok');
      await within(channel.close(), ctx.signal, options, 'channel.close-ok');
    } catch (error) {
      await destroyConnection(model);
      fail(error);
    }
  });
  return model;
}

/**
 * One connection handshake within `connectTimeoutMs` and `signal`; a connection that opens after either gave up is
 * destroyed as it arrives. Used by the start and by each reconnection.
 */
export function openConnection(options: ResolvedAmqpOptions, signal: AbortSignal): Promise<ChannelModel> {
  return within(
    connect(connectOptions(options), socketOptions(options)),
    signal,
    options,
    'connection.open-ok',
    (late) => {
      void destroyConnection(late);
    },
  );
}

/** What amqplib's `connect` takes as its first argument: the broker and what to ask of it. */
export function connectOptions(options: ResolvedAmqpOptions): Options.Connect {
  return {
    protocol: options.tls === undefined ? 'amqp' : 'amqps',
    hostname: options.host,
    port: options.port,
    username: options.username,
    password: options.password,
    // amqplib unescapes the vhost it is given.
    vhost: encodeURIComponent(options.vhost),
    heartbeat: options.heartbeatSeconds,
    frameMax: options.frameMax,
    channelMax: options.channelMax,
  };
}

/** The socket options: the idle timeout, the connection's name, TLS. */
export function socketOptions(options: ResolvedAmqpOptions): SocketOptions {
  return {
    ...options.tls,
    timeout: options.connectTimeoutMs,
    clientProperties: { connection_name: options.connectionName },
  };
}

/** Settles like `work`, unless `signal` aborts or `connectTimeoutMs` runs out first (an `ETIMEDOUT` error). */
function within<T>(
  work: Promise<T>,
  signal: AbortSignal,
  options: ResolvedAmqpOptions,
  what: string,
  onLate?: (value: T) => void,
): Promise<T> {
  const timeout = new AbortController();
  const ms = options.connectTimeoutMs;
  const timer = setTimeout(
    () => timeout.abort(Object.assign(new Error(`no ${what} within ${ms} ms`), { code: 'ETIMEDOUT' })),
    ms,
  );
  return abortable(work, AbortSignal.any([signal, timeout.signal]), onLate).finally(() =>
    clearTimeout(timer),
  );
}
