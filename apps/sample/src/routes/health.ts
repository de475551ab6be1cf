import { healthContentType } from '@startup/monitor';
import type { FastifyInstance } from 'fastify';
import { healthResponse } from '../health-body.js';
import type { SampleContext } from '../sample-context.js';

/**
 * `/health` (the full report) and the three Kubernetes probes. `/health/live` never touches a backend;
 * `/health/startup` passes once the start completed; `/health/ready` passes once started and while the
 * services are healthy, and fails as soon as shutdown begins. Probe requests are logged only on errors.
 */
export async function healthRoutes(server: FastifyInstance, ctx: SampleContext): Promise<void> {
  const quiet = { logLevel: 'warn' as const };

  server.get('/health', quiet, async (_request, reply) => {
    const { statusCode, body } = await healthResponse(ctx);
    return reply.code(statusCode).type(healthContentType).header('cache-control', 'no-store').send(body);
  });

  server.get('/health/live', quiet, async (_request, reply) => {
    const { status } = ctx.startup.liveness();
    return probe(reply, status === 'fail' ? 503 : 200, { status, phase: ctx.lifecycle.phase });
  });

  server.get('/health/startup', quiet, async (_request, reply) => {
    const done = ctx.lifecycle.phase === 'started' || ctx.lifecycle.phase === 'stopping';
    return probe(reply, done ? 200 : 503, { status: done ? 'pass' : 'fail', phase: ctx.lifecycle.phase });
  });

  server.get('/health/ready', quiet, async (_request, reply) => {
    if (ctx.lifecycle.phase !== 'started') {
      return probe(reply, 503, { status: 'fail', phase: ctx.lifecycle.phase });
    }
    const { status, health } = await ctx.startup.readiness();
    const failing = Object.entries(health?.checks ?? {})
      .filter(([, check]) => check.status === 'fail')
      .map(([name]) => name);
    const body = { status, phase: ctx.lifecycle.phase, ...(failing.length > 0 ? { failing } : {}) };
    return probe(reply, status === 'fail' ? 503 : 200, body);
  });
}

function probe(reply: import('fastify').FastifyReply, statusCode: number, body: object) {
  return reply.code(statusCode).type(healthContentType).header('cache-control', 'no-store').send(body);
}
