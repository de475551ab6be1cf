import type net from 'node:net';
import { startHttpUpstream } from '@startup/test-kit';

/** The header each case's plugin sends, so the upstream can count the connections of one case. */
export const caseHeader = 'x-startup-case';

/** A loopback HTTP upstream that answers `200 ok` to Basic `user:password` only, `401` to anything else. */
export interface SecuredHttpUpstream {
  readonly port: number;
  readonly user: string;
  /** Open connections whose last request carried `id` in {@link caseHeader}. */
  connectionsOf(id: string): number;
  stop(): Promise<void>;
}

/** Starts a {@link SecuredHttpUpstream} on a free port of 127.0.0.1. */
export async function startSecuredHttpUpstream(password: string, user: string): Promise<SecuredHttpUpstream> {
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  // The case each open socket last served; a socket leaves when it closes.
  const caseOf = new Map<net.Socket, string>();
  const upstream = await startHttpUpstream((request, response) => {
    const { socket } = request;
    const id = request.headers[caseHeader];
    if (typeof id === 'string' && !caseOf.has(socket)) {
      socket.once('close', () => caseOf.delete(socket));
    }
    if (typeof id === 'string' && !socket.destroyed) caseOf.set(socket, id);
    response.statusCode = request.headers.authorization === expected ? 200 : 401;
    response.end(response.statusCode === 200 ? 'ok' : 'unauthorized');
  });
  return {
    port: upstream.port,
    user,
    connectionsOf: (id) => [...caseOf.values()].filter((value) => value === id).length,
    stop: () => upstream.close(),
  };
}
