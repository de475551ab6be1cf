import net from 'node:net';
import { Connection } from './connection.js';

/** Options for {@link createFaultProxy}. */
export interface FaultProxyOptions {
  /** The real server the proxy forwards to. */
  target: { host: string; port: number };
  /** Interface the proxy listens on; defaults to `'127.0.0.1'`. */
  host?: string;
  /** Port the proxy listens on; defaults to `0` (a free port picked by the OS, kept across refuse/accept). */
  port?: number;
}

/** A TCP proxy between a client and a real server that fails on command. */
export interface FaultProxy {
  /** Interface the proxy listens on. */
  readonly host: string;
  /** Port the proxy listens on; the same across {@link FaultProxy.refuse} and {@link FaultProxy.accept}. */
  readonly port: number;
  /** Number of live client connections. */
  readonly connections: number;
  /** Total number of client connections accepted so far, including reset ones (counts attempts). */
  readonly accepted: number;
  /** Normal mode (the default): pipe bytes both ways. Ends blackhole mode. */
  forward(): void;
  /**
   * Accept new connections and never answer: new connections get no upstream, and bytes on live
   * connections are dropped in both directions until {@link FaultProxy.forward}.
   */
  blackhole(): void;
  /** Delay every chunk in both directions by `ms` milliseconds; `0` (the default) means none. */
  latency(ms: number): void;
  /** While `on`, reset (TCP RST) every new connection right after accepting it. Defaults to off. */
  resetNew(on: boolean): void;
  /** Destroy every live connection (the server "died"); new connections still follow the mode. */
  cutAll(): void;
  /** Stop listening (clients get `ECONNREFUSED`) and cut live connections. */
  refuse(): Promise<void>;
  /** Listen again on the same port. Cancels a pending {@link FaultProxy.acceptAt}. */
  accept(): Promise<void>;
  /** Refuse now and start accepting again after `ms` milliseconds (a server that comes up late). */
  acceptAt(ms: number): void;
  /** Stop listening, cut every connection and clear every timer; leaves no handle behind. */
  close(): Promise<void>;
}

/**
 * Starts a fault proxy in front of `options.target`.
 * @returns the proxy, once it is listening.
 */
export async function createFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const host = options.host ?? '127.0.0.1';
  const live = new Set<Connection>();
  let mode: 'forward' | 'blackhole' = 'forward';
  let latencyMs = 0;
  let resetting = false;
  let accepted = 0;
  let server: net.Server | undefined;
  let acceptTimer: NodeJS.Timeout | undefined;
  let closed = false;
  // Listen/stop changes run one after another so refuse() and accept() never race.
  let transition: Promise<void> = Promise.resolve();
  const policy = { blackholed: () => mode === 'blackhole', latencyMs: () => latencyMs };

  const onConnection = (socket: net.Socket): void => {
    accepted++;
    if (resetting) {
      socket.on('error', () => {});
      socket.resetAndDestroy();
      return;
    }
    const connection = new Connection(socket, policy, (c) => live.delete(c));
    live.add(connection);
    if (mode === 'blackhole') connection.hold();
    else connection.connect(options.target);
  };

  const listen = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const next = net.createServer(onConnection);
      next.once('error', reject);
      next.listen({ host, port }, () => {
        next.off('error', reject);
        next.on('error', () => {});
        server = next;
        resolve();
      });
    });

  const cutAll = async (): Promise<void> => {
    const settled = [...live].map((c) => c.settled());
    for (const connection of [...live]) connection.destroy();
    await Promise.all(settled);
  };

  const stop = async (): Promise<void> => {
    const current = server;
    server = undefined;
    const stopped = current
      ? new Promise<void>((resolve) => current.close(() => resolve()))
      : Promise.resolve();
    await cutAll();
    await stopped;
    // 'close' fires before libuv releases the listening handle, in the loop's close phase; two turns of
    // the check phase are sure to straddle it, whichever phase we are in now.
    for (let turn = 0; turn < 2; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
  };

  const enqueue = (step: () => Promise<void>): Promise<void> => {
    const run = transition.then(step);
    transition = run.catch(() => {});
    return run;
  };

  const cancelAcceptAt = (): void => {
    if (acceptTimer) clearTimeout(acceptTimer);
    acceptTimer = undefined;
  };

  await listen(options.port ?? 0);
  const port = (server!.address() as net.AddressInfo).port;

  return {
    host,
    port,
    get connections() {
      return live.size;
    },
    get accepted() {
      return accepted;
    },
    forward() {
      mode = 'forward';
    },
    blackhole() {
      mode = 'blackhole';
    },
    latency(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency must be >= 0 ms, got ${ms}`);
      latencyMs = ms;
    },
    resetNew(on) {
      resetting = on;
    },
    cutAll() {
      void cutAll();
    },
    refuse() {
      cancelAcceptAt();
      return enqueue(stop);
    },
    accept() {
      cancelAcceptAt();
      return enqueue(async () => {
        if (!server && !closed) await listen(port);
      });
    },
    acceptAt(ms) {
      cancelAcceptAt();
      enqueue(stop).catch(() => {});
      acceptTimer = setTimeout(() => {
        acceptTimer = undefined;
        // A failure to listen shows up as ECONNREFUSED in the test that asked for it.
        enqueue(async () => {
          if (!server && !closed) await listen(port);
        }).catch(() => {});
      }, ms);
    },
    close() {
      closed = true;
      cancelAcceptAt();
      return enqueue(stop);
    },
  };
}
