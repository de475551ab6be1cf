import type { NatsConnection } from '@nats-io/transport-node';
import { abortable, loadClientLibrary } from '@startup/core/plugin-kit';
import { connectionOptions } from './client-options.js';
import { enableReconnect } from './enable-reconnect.js';
import type { ResolvedNatsOptions } from './resolve-options.js';
import { createSocketTracker, type SocketTracker } from './socket-tracker.js';

// One loader for every start: loadClientLibrary loads what it once loaded only once.
const importTransport = () => import('@nats-io/transport-node');

/** A connection and the tracker of the sockets it opens (dispose it when the connection is closed). */
export interface Dialled {
  nc: NatsConnection;
  tracker: SocketTracker;
}

/**
 * One connection attempt: nats.js dials each server once and rejects (no `waitOnFirstConnect`).
 * On failure or abort nothing is left: sockets the attempt opened are destroyed, one still opening is
 * destroyed as it appears (nats.js, dialling with reconnection off, then closes the connection and its
 * handshake timer), and a connection that completes after an abort is closed. Reconnection is turned on
 * once connected. Rejects with nats.js' error, or `signal.reason` when aborted.
 */
export async function dial(options: ResolvedNatsOptions, signal: AbortSignal): Promise<Dialled> {
  if (signal.aborted) throw signal.reason;
  // Loaded here, not at import: see loadClientLibrary.
  const { connect } = await loadClientLibrary(importTransport, 'connect', {
    plugin: options.name,
    package: '@nats-io/transport-node',
  });
  if (signal.aborted) throw signal.reason;
  const ports = new Set(options.servers.map((s) => s.port));
  let connected: NatsConnection | undefined;
  // The servers nats.js may dial: those configured, and every one the cluster announced while connected
  // (remembered: nats.js forgets its server info before each dial).
  const remember = () => {
    for (const url of connected?.info?.connect_urls ?? []) {
      const port = Number(/:(\d+)$/.exec(url)?.[1]);
      if (Number.isInteger(port)) ports.add(port);
    }
  };
  const isServerPort = (port: number) => {
    remember();
    return ports.has(port);
  };
  const tracker = createSocketTracker({ isServerPort });
  let pending: Promise<NatsConnection>;
  try {
    pending = tracker
      .run(() => connect(connectionOptions(options)))
      .then((nc) => {
        connected = nc;
        remember();
        return reconnecting(nc, options);
      });
  } catch (error) {
    await tracker.dispose();
    throw error;
  }
  try {
    return { nc: await abortable(pending, signal), tracker };
  } catch (error) {
    tracker.destroyAll();
    // An aborted connect still runs: its sockets die as they open, and a late connection is closed.
    const settled = pending.then((late) => late.close()).catch(() => {});
    if (signal.aborted) void settled.finally(() => tracker.dispose());
    else await settled.finally(() => tracker.dispose());
    throw error;
  }
}

async function reconnecting(nc: NatsConnection, options: ResolvedNatsOptions): Promise<NatsConnection> {
  try {
    enableReconnect(nc, options);
    return nc;
  } catch (error) {
    await nc.close().catch(() => {});
    throw error;
  }
}
