// The sample (apps/sample) and the generator share their deployment knowledge; this test is what keeps them from
// drifting. A service generated with the sample's connectors (PostgreSQL, Redis, NATS) and framework (Fastify)
// must match the sample where they describe the same thing: the variables (names, defaults, meanings), the
// compose services and their tuning, the Kubernetes probes and pod settings, the Dockerfile's runtime. Change
// one side and this fails until the other follows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { configVariables } from '../../../apps/sample/src/config-variables.js';
import { serviceFiles } from '../src/service-files.js';
import { workspaceRelease } from './workspace-release.js';

const sample = (path: string) =>
  readFileSync(new URL(`../../../apps/sample/${path}`, import.meta.url), 'utf8');
const generated = serviceFiles(
  {
    directory: 'startup-sample',
    name: 'startup-sample',
    connectors: ['postgres', 'redis', 'nats'],
    framework: 'fastify',
    packageManager: 'npm',
  },
  workspaceRelease(),
);
const file = (path: string) => generated.get(path) ?? '';

describe('a service generated with the sample’s choices matches the sample', () => {
  it('reads the sample’s variables under the same names, defaults and meanings', () => {
    const listed = file('.env.example')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.slice(0, line.indexOf('=')));
    const shared = configVariables.filter((v) => listed.includes(v.name));
    // The sample reads more (its history store, pool sizes, grades): every connector variable is shared.
    expect(shared.map((v) => v.name)).toEqual(
      expect.arrayContaining([
        'PORT',
        'HOST',
        'DATABASE_URL',
        'REDIS_URL',
        'NATS_URL',
        'API_KEY',
        'LOG_LEVEL',
      ]),
    );
    const env = file('.env.example');
    for (const variable of shared) {
      if (variable.name === 'SERVICE_NAME') continue; // the generated service's default is its own name
      expect(env, variable.name).toContain(
        `# ${variable.description}\n${variable.name}=${variable.default}\n`,
      );
    }
    expect(listed.filter((name) => !configVariables.some((v) => v.name === name))).toEqual([]);
  });

  it('runs the same servers in compose, tuned and health-checked alike', () => {
    const theirs = parse(sample('docker-compose.yml'));
    const ours = parse(file('docker-compose.yml'));
    expect(ours['x-healthcheck']).toEqual(theirs['x-healthcheck']);
    for (const service of ['postgres', 'redis', 'nats']) {
      expect(ours.services[service], service).toEqual(theirs.services[service]);
    }
    expect(Object.keys(ours.services).sort()).toEqual(Object.keys(theirs.services).sort());
    const { build: _ours, volumes: _ourVolumes, ...ourApp } = ours.services.app;
    const { build: _theirs, volumes: _theirVolumes, ...theirApp } = theirs.services.app;
    // The sample records its starts in PostgreSQL (HISTORY_STORE), which the generated service does not offer.
    const { HISTORY_STORE: _history, ...theirEnvironment } = theirApp.environment;
    expect({ ...ourApp, environment: ourApp.environment }).toEqual({
      ...theirApp,
      environment: theirEnvironment,
    });
  });

  it('deploys to Kubernetes with the same probes, rollout, pod security and resources', () => {
    const docs = (text: string) => parseAllDocuments(text).map((doc) => doc.toJSON());
    const deployment = (text: string) => docs(text).find((doc) => doc.kind === 'Deployment');
    const theirs = deployment(sample('k8s/deployment.yaml'));
    const ours = deployment(file('k8s/deployment.yaml'));
    expect(ours.spec.strategy).toEqual(theirs.spec.strategy);
    expect(ours.spec.progressDeadlineSeconds).toEqual(theirs.spec.progressDeadlineSeconds);
    const [ourPod, theirPod] = [ours.spec.template.spec, theirs.spec.template.spec];
    expect(ourPod.terminationGracePeriodSeconds).toEqual(theirPod.terminationGracePeriodSeconds);
    expect(ourPod.securityContext).toEqual(theirPod.securityContext);
    const [ourApp, theirApp] = [ourPod.containers[0], theirPod.containers[0]];
    for (const key of [
      'ports',
      'startupProbe',
      'readinessProbe',
      'livenessProbe',
      'resources',
      'securityContext',
    ]) {
      expect(ourApp[key], key).toEqual(theirApp[key]);
    }
    const env = (container: { env: { name: string; value?: string }[] }) =>
      container.env.filter((e) => e.name !== 'HISTORY_STORE' && e.name !== 'HEALTH_TIMEOUT_MS');
    expect(env(ourApp)).toEqual(env(theirApp));
    const kinds = (text: string) => docs(text).map((doc) => doc.kind);
    expect(kinds(file('k8s/deployment.yaml'))).toEqual(kinds(sample('k8s/deployment.yaml')));
  });

  it('builds its image on the same Node, as the same user, with the same health check and stop signal', () => {
    const runtime = (text: string) =>
      text
        .split('\n')
        .filter((line) =>
          /^(ARG NODE_VERSION|USER|EXPOSE|HEALTHCHECK|STOPSIGNAL|\s+CMD \["node", "-e")/.test(line),
        );
    expect(runtime(file('Dockerfile'))).toEqual(runtime(sample('Dockerfile')));
    const base = /^FROM node:\S+/m;
    expect(file('Dockerfile').match(base)?.[0]).toBe(sample('Dockerfile').match(base)?.[0]);
  });
});
