import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ServiceChoices } from '../src/choices.js';
import { type ConnectorName, connectorNames, connectors } from '../src/connectors.js';
import { serviceFiles } from '../src/service-files.js';
import { workspaceRelease } from './workspace-release.js';

const release = workspaceRelease();
const choices = (connectors: ConnectorName[], framework: ServiceChoices['framework'] = 'fastify') =>
  ({ directory: 'svc', name: 'svc', connectors, framework, packageManager: 'npm' }) as const;
const subsets: ConnectorName[][] = [[], ...connectorNames.map((name) => [name]), [...connectorNames]];
const composeServices: Record<ConnectorName, string | undefined> = {
  postgres: 'postgres',
  redis: 'redis',
  nats: 'nats',
  mysql: 'mysql',
  amqp: 'rabbitmq',
  mqtt: 'mosquitto',
  http: undefined,
};

describe('serviceFiles', () => {
  it.each(subsets.flatMap((subset) => [choices(subset), choices(subset, 'node-http')]))(
    'writes valid files for $connectors with $framework: no directive or placeholder left, JavaScript and YAML that parse',
    (chosen) => {
      const files = serviceFiles(chosen, release);
      for (const [path, text] of files) {
        expect(text, path).not.toMatch(/@(if|end|insert)\b|\{\{/);
        if (path.endsWith('.js')) expect(() => transformSync(text, { format: 'esm' }), path).not.toThrow();
        if (path.endsWith('.yml')) expect(() => parse(text), path).not.toThrow();
        if (path.endsWith('.yaml')) {
          expect(() => text.split(/^---$/m).map((doc) => parse(doc)), path).not.toThrow();
        }
      }
      expect([...files.keys()]).toEqual(
        [
          '.dockerignore',
          '.env.example',
          '.gitignore',
          'Dockerfile',
          'README.md',
          'docker-compose.yml',
          'k8s/deployment.yaml',
          'package.json',
          'src/config.js',
          'src/feature.js',
          ...(chosen.framework === 'node-http' ? ['src/logger.js'] : []),
          'src/main.js',
          'src/server.js',
          'src/service.js',
          'src/services.js',
          'test/config.test.js',
          'test/service.test.js',
        ].sort(),
      );
    },
  );

  it.each(subsets.map((subset) => [subset]))(
    'depends on the chosen packages and their peers only: %j',
    (subset) => {
      const manifest = JSON.parse(serviceFiles(choices(subset), release).get('package.json') ?? '');
      const chosen = connectors.filter((c) => subset.includes(c.name));
      const expected = ['@startup/core', '@startup/monitor', '@startup/fastify', 'fastify'];
      for (const connector of chosen) {
        expected.push(connector.package);
        const pkg = release[connector.package];
        for (const peer of Object.keys(pkg?.peerDependencies ?? {})) {
          if (!peer.startsWith('@startup/')) expected.push(peer);
        }
      }
      expect(Object.keys(manifest.dependencies).sort()).toEqual([...new Set(expected)].sort());
      expect(manifest.dependencies['@startup/core']).toBe(`^${release['@startup/core']?.version}`);
      expect(manifest.scripts).toEqual({ start: 'node src/main.js', test: 'node --test' });
    },
  );

  it('serves node:http with @startup/probes instead of Fastify', () => {
    const manifest = JSON.parse(
      serviceFiles(choices(['redis'], 'node-http'), release).get('package.json') ?? '',
    );
    expect(Object.keys(manifest.dependencies)).toContain('@startup/probes');
    expect(Object.keys(manifest.dependencies)).not.toContain('fastify');
    expect(Object.keys(manifest.dependencies)).not.toContain('@startup/fastify');
  });

  it.each(subsets.map((subset) => [subset]))(
    'lists in .env.example, src/config.js, compose and Kubernetes only what %j needs',
    (subset) => {
      const files = serviceFiles(choices(subset), release);
      const chosen = connectors.filter((c) => subset.includes(c.name));
      const others = connectors.filter((c) => !subset.includes(c.name));
      const env = files.get('.env.example') ?? '';
      const listed = env
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('#'))
        .map((line) => line.slice(0, line.indexOf('=')));
      expect(listed).toEqual([
        'PORT',
        'HOST',
        'API_KEY',
        'SERVICE_NAME',
        'STARTUP_TIMEOUT_MS',
        'SHUTDOWN_TIMEOUT_MS',
        'SHUTDOWN_DELAY_MS',
        'LOG_LEVEL',
        ...chosen.flatMap((c) => c.variables.map((v) => v.name)),
      ]);
      const config = files.get('src/config.js') ?? '';
      for (const name of listed) expect(config).toContain(`'${name}'`);
      for (const connector of others) {
        for (const variable of connector.variables) expect(config).not.toContain(variable.name);
      }
      const compose = parse(files.get('docker-compose.yml') ?? '');
      expect(Object.keys(compose.services).sort()).toEqual(
        [...chosen.map((c) => composeServices[c.name]).filter((s) => s !== undefined), 'app'].sort(),
      );
      const k8s = files.get('k8s/deployment.yaml') ?? '';
      for (const connector of others) expect(k8s).not.toContain(connector.variables[0]?.name);
    },
  );

  it('writes the README with its two commands for the package manager chosen', () => {
    const readme = serviceFiles({ ...choices(['postgres']), packageManager: 'pnpm' }, release).get(
      'README.md',
    );
    expect(readme).toContain('```sh\npnpm install && pnpm start\npnpm test\n```');
  });
});
