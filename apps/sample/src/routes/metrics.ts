import { prometheusContentType } from '@startup/monitor';
import type { FastifyInstance } from 'fastify';
import type { SampleContext } from '../sample-context.js';

/**
 * `GET /metrics`: Prometheus text of the last start (duration, efficiency, per-plugin time and
 * attempts), breaker states and health-check latency, each series labelled with the service name.
 * Public, like `/health`: it carries timings and states, never a secret.
 */
export async function metricsRoutes(server: FastifyInstance, ctx: SampleContext): Promise<void> {
  server.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
    // A fresh (or cached, at most 1 s old) health run, which the monitor records for the figures.
    await ctx.startup.health();
    return reply.type(prometheusContentType).send(ctx.monitor.metrics());
  });
}
