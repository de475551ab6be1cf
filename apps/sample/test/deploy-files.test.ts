import { readFileSync } from 'node:fs';
import { defaultRetryPolicy } from '@startup/core';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { readConfig } from '../src/config.js';
import { configVariables } from '../src/config-variables.js';

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');

/** `${NAME:-default}` as Compose substitutes it with nothing set. */
const substitute = (value: string) => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

/** Seconds in a Compose duration such as `5s` or `1m30s`. */
function seconds(duration: string): number {
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/(\d+)(ms|s|m|h)/g)) {
    total += Number(n) * { ms: 0.001, s: 1, m: 60, h: 3600 }[unit as 'ms' | 's' | 'm' | 'h'];
  }
  return total;
}

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true });
  const services = compose.services;

  it('runs PostgreSQL with the settings of the spec', () => {
    const command: string = services.postgres.command;
    expect(command.split(/\s+/).filter(Boolean)).toEqual([
      'postgres',
      '-c',
      'max_connections=200',
      '-c',
      'shared_buffers=128MB',
      '-c',
      'effective_cache_size=512MB',
      '-c',
      'work_mem=4MB',
      '-c',
      'maintenance_work_mem=64MB',
    ]);
  });

  it('runs Redis with the settings of the spec', () => {
    const command: string = services.redis.command;
    expect(command.trim().split(/\s+/)).toEqual([
      'redis-server',
      '--tcp-keepalive',
      '300',
      '--maxclients',
      '10000',
      '--save',
      '900',
      '1',
      '300',
      '10',
      '60',
      '10000',
    ]);
  });

  it('runs NATS with JetStream', () => {
    expect(services.nats.command).toContain('-js');
    expect(services.nats.healthcheck.test.join(' ')).toContain('js-enabled-only=true');
  });

  it('checks every service every 5 s with a 3 s timeout and a 10 s start period', () => {
    for (const name of ['postgres', 'redis', 'nats', 'app']) {
      const check = services[name].healthcheck;
      expect(check, name).toBeDefined();
      expect(seconds(check.interval), name).toBe(5);
      expect(seconds(check.timeout), name).toBe(3);
      expect(seconds(check.start_period), name).toBe(10);
      expect(check.test.length, name).toBeGreaterThan(1);
    }
    expect(services.app.healthcheck.test.join(' ')).toContain('/health/ready');
  });

  it('starts the app once the three services are healthy', () => {
    expect(services.app.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
      nats: { condition: 'service_healthy' },
    });
  });

  it('gives the app a valid configuration pointing at the services, on 0.0.0.0:8687', () => {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(services.app.environment)) env[key] = substitute(String(value));
    const { config, problems } = readConfig(env);
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 8687,
      redisUrl: 'redis://redis:6379',
      natsUrl: 'nats://nats:4222',
    });
    expect(new URL(config.databaseUrl).host).toBe('postgres:5432');
    // The starts go to the database the app already uses, table startup_history.
    expect(config.history).toEqual({ store: 'postgres', table: 'startup_history' });
    expect(services.app.ports).toContain('8687:8687');
    expect(seconds(services.app.stop_grace_period) * 1000).toBeGreaterThan(config.shutdownTimeoutMs);
    expect(services.app.build).toEqual({ context: '../..', dockerfile: 'apps/sample/Dockerfile' });
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages = instructions.filter((line) => /^FROM /i.test(line));

  it('builds in one stage and runs from another', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0]).toMatch(/ AS build$/);
    expect(stages.at(-1)).toMatch(/ AS runtime$/);
  });

  it('builds the app with its packages from the lockfile and ships only the bundle', () => {
    const build = instructions.slice(0, instructions.indexOf(stages.at(-1)!)).join('\n');
    expect(build).toContain('--frozen-lockfile');
    expect(build).toContain('turbo run build --filter=@startup/sample...');
    const copies = instructions.filter((line) => line.startsWith('COPY --from=build'));
    expect(copies.map((line) => line.split(' ').at(-2))).toEqual([
      '/repo/apps/sample/package.json',
      '/repo/apps/sample/dist',
    ]);
  });

  it('runs dist/main.js as an unprivileged user, listening on 0.0.0.0:8687, with a 5 s / 3 s / 10 s health check', () => {
    const runtime = instructions.slice(instructions.indexOf(stages.at(-1)!));
    expect(runtime).toContain('USER node');
    expect(runtime).toContain('EXPOSE 8687');
    expect(runtime.at(-1)).toBe('CMD ["node", "dist/main.js"]');
    expect(runtime.join('\n')).toMatch(/HOST=0\.0\.0\.0/);
    const health = runtime.find((line) => line.startsWith('HEALTHCHECK'))!;
    expect(health).toContain('--interval=5s');
    expect(health).toContain('--timeout=3s');
    expect(health).toContain('--start-period=10s');
    expect(health).toContain('/health/ready');
    expect(runtime.some((line) => line.startsWith('COPY --from=build'))).toBe(true);
  });
});

describe('k8s/deployment.yaml', () => {
  const docs = parseAllDocuments(read('k8s/deployment.yaml')).map((d) => d.toJS());
  const deployment = docs.find((d) => d.kind === 'Deployment');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const env: Record<string, string> = Object.fromEntries(
    container.env
      .filter((e: { value?: string }) => e.value !== undefined)
      .map((e: { name: string; value: string }) => [e.name, e.value]),
  );

  it('probes startup, readiness and liveness on the endpoints of the same names', () => {
    expect(container.startupProbe.httpGet).toEqual({ path: '/health/startup', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container.ports).toEqual([{ name: 'http', containerPort: Number(env.PORT) }]);
  });

  const secret = docs.find((d) => d.kind === 'Secret');
  const secretRef = (name: string) =>
    container.env.find((e: { name: string }) => e.name === name)?.valueFrom?.secretKeyRef;
  /** The environment the pod gets once the Secret's placeholders are filled in. */
  const podEnv: Record<string, string> = { ...env };
  for (const e of container.env as { name: string; valueFrom?: { secretKeyRef?: { key: string } } }[]) {
    const key = e.valueFrom?.secretKeyRef?.key;
    if (key !== undefined) podEnv[e.name] = secret.stringData[key];
  }
  const config = readConfig(podEnv).config;
  /** Margin of the startup probe past the app's deadline: boot, listen and one probe in flight, in ms. */
  const startMarginMs = 10_000;

  it('lets the app fail its own start (STARTUP_TIMEOUT_MS plus a margin) before the startup probe gives up', () => {
    const probe = container.startupProbe;
    const windowMs = ((probe.initialDelaySeconds ?? 0) + probe.periodSeconds * probe.failureThreshold) * 1000;
    expect(windowMs).toBeGreaterThanOrEqual(config.startupTimeoutMs + startMarginMs);
    expect(probe.timeoutSeconds).toBeLessThanOrEqual(probe.periodSeconds);
  });

  it('waits longer for readiness than the health checks it runs may take, and for more than one miss', () => {
    const probe = container.readinessProbe;
    expect(probe.timeoutSeconds * 1000).toBeGreaterThan(config.healthTimeoutMs);
    expect(probe.timeoutSeconds).toBeLessThanOrEqual(probe.periodSeconds);
    expect(probe.failureThreshold).toBeGreaterThanOrEqual(2);
  });

  it('gives the shutdown its delay and timeout before the pod is killed', () => {
    const needed = config.shutdownDelayMs + config.shutdownTimeoutMs;
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(needed);
    // Readiness must have failed as many times as it takes to leave the Service before the server closes.
    const readiness = container.readinessProbe;
    expect(config.shutdownDelayMs).toBeGreaterThanOrEqual(
      readiness.periodSeconds * readiness.failureThreshold * 1000,
    );
  });

  it('takes the URLs and the API key from the Secret, every key it names present, and a valid configuration', () => {
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'NATS_URL', 'API_KEY']) {
      expect(secretRef(name), name).toMatchObject({ name: secret.metadata.name });
      expect(Object.keys(secret.stringData), name).toContain(secretRef(name).key);
    }
    expect(readConfig(podEnv).problems).toEqual([]);
    expect(config.apiKey?.length).toBeGreaterThanOrEqual(16);
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
  });

  it('records every start of the fleet in the shared PostgreSQL table, named by the pod', () => {
    expect(config.history).toEqual({ store: 'postgres', table: 'startup_history' });
    // HOSTNAME is the pod name, which the monitor records as the instance: the manifest must not override it.
    expect(container.env.map((e: { name: string }) => e.name)).not.toContain('HOSTNAME');
  });

  it('rolls out one pod at a time, never below the replicas, and waits longer than a start may take', () => {
    const { strategy, replicas } = deployment.spec;
    expect(replicas).toBeGreaterThanOrEqual(2);
    expect(strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    const startup = container.startupProbe;
    const readiness = container.readinessProbe;
    const startWindowS =
      (startup.initialDelaySeconds ?? 0) + startup.periodSeconds * startup.failureThreshold;
    const readyS = readiness.periodSeconds * readiness.failureThreshold;
    expect(deployment.spec.progressDeadlineSeconds).toBeGreaterThan(startWindowS + readyS);
  });

  it('has a PodDisruptionBudget over the same pods that lets a drain take one at a time', () => {
    const budget = docs.find((d) => d.kind === 'PodDisruptionBudget');
    expect(budget.apiVersion).toBe('policy/v1');
    expect(budget.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    // At least one pod stays; at least one may go, or a node drain would block forever.
    expect(budget.spec.minAvailable).toBeGreaterThanOrEqual(1);
    expect(budget.spec.minAvailable).toBeLessThanOrEqual(deployment.spec.replicas - 1);
    expect(budget.spec.maxUnavailable).toBeUndefined();
  });

  it('has a Service in front of the pods', () => {
    const service = docs.find((d) => d.kind === 'Service');
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
  });
});

describe('.env.example and README', () => {
  it('.env.example sets every variable the sample reads, to its default', () => {
    const entries = read('.env.example')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]);
    expect(entries).toEqual(configVariables.map((v) => [v.name, v.default]));
    // The listed defaults are the real ones.
    expect(readConfig(Object.fromEntries(entries))).toEqual(readConfig({}));
  });

  it("the README gives the backoff the sample really uses: core's defaults", () => {
    const readme = read('README.md').replace(/\s+/g, ' ');
    const sentence = /A failed attempt is retried with ([^;]*);/.exec(readme)![1]!;
    const { initialDelayMs, multiplier, maxDelayMs, maxElapsedMs, jitter } = defaultRetryPolicy;
    const spread = Math.round((jitter as { proportional: number }).proportional * 100);
    expect(sentence).toContain(
      `${initialDelayMs} ms, growing ×${multiplier} per attempt up to ${maxDelayMs / 1000} s, ±${spread} % jitter`,
    );
    expect(sentence).toContain(`core's own ${maxElapsedMs / 1000} s retry budget`);
  });

  it('the README configuration table lists every variable', () => {
    const readme = read('README.md');
    for (const v of configVariables) expect(readme).toMatch(new RegExp(`^\\|\\s*\`${v.name}\`\\s*\\|`, 'm'));
  });
});
