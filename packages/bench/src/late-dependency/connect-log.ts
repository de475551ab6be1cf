import net from 'node:net';

const byPort = new Map<number, number[]>();
let installed = false;

/**
 * Records every TCP connection attempt this process makes to `port` (its `performance.now()` time), whatever
 * the client: pg, ioredis and nats.js all go through `net.Socket.prototype.connect`. A refused attempt never
 * reaches a server, so this is the only place to count them for a client that does not say.
 * Returns the list (filled as attempts happen) and a disposer.
 */
export function logConnects(port: number): { times: number[]; dispose: () => void } {
  install();
  const times: number[] = [];
  byPort.set(port, times);
  return { times, dispose: () => byPort.delete(port) };
}

function install(): void {
  if (installed) return;
  installed = true;
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function connect(this: net.Socket, ...args: unknown[]) {
    const port = portOf(args[0]);
    if (port !== undefined) byPort.get(port)?.push(performance.now());
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof original;
}

function portOf(first: unknown): number | undefined {
  if (Array.isArray(first)) return portOf(first[0]);
  if (typeof first === 'number') return first;
  if (typeof first === 'string' && /^\d+$/.test(first)) return Number(first);
  if (typeof first === 'object' && first !== null && 'port' in first)
    return Number((first as { port: unknown }).port);
  return undefined;
}
