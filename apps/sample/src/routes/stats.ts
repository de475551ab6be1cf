import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiKeyMatcher } from '../api-key.js';
import type { SampleContext } from '../sample-context.js';

/**
 * `GET /api/v1/stats`: the last start in detail (report, analysis, recommendations), the current
 * health, the history trend and process figures. Requires `X-API-Key` equal to `API_KEY` (compared in
 * constant time): 401 when missing or wrong. Without `API_KEY` the endpoint is disabled: 403, never open.
 */
export async function statsRoutes(server: FastifyInstance, ctx: SampleContext): Promise<void> {
  const expected = ctx.config.apiKey;
  const matches = expected === undefined ? undefined : apiKeyMatcher(expected);

  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    if (matches === undefined) {
      return reply.code(403).send({
        statusCode: 403,
        code: 'STATS_DISABLED',
        error: 'Forbidden',
        message: 'The stats endpoint is disabled: set API_KEY to enable it',
      });
    }
    const presented = request.headers['x-api-key'];
    if (!matches(typeof presented === 'string' ? presented : undefined)) {
      return reply
        .code(401)
        .header('www-authenticate', 'ApiKey header="X-API-Key"')
        .send({
          statusCode: 401,
          code: presented === undefined ? 'API_KEY_MISSING' : 'API_KEY_INVALID',
          error: 'Unauthorized',
          message: presented === undefined ? 'X-API-Key header required' : 'Invalid API key',
        });
    }
  };

  server.get('/api/v1/stats', { onRequest: guard }, async (_request, reply) => {
    const health = await ctx.startup.health();
    const memory = process.memoryUsage();
    return reply.header('cache-control', 'no-store').send({
      service: ctx.config.serviceName,
      phase: ctx.lifecycle.phase,
      uptimeSeconds: process.uptime(),
      startup: {
        report: ctx.startup.report(),
        analysis: ctx.monitor.analysis(),
        recommendations: ctx.monitor.recommendations(),
      },
      health: ctx.monitor.healthPayload(health),
      trend: ctx.monitor.trend() ?? null,
      process: {
        pid: process.pid,
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        node: process.version,
      },
    });
  });
}
