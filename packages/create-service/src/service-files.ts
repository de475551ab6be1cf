import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceChoices } from './choices.js';
import { connectors, type ServiceVariable, serviceVariables } from './connectors.js';
import { frameworks } from './frameworks.js';
import { serviceManifest } from './manifest.js';
import type { Release } from './release.js';
import { holds, render, type TemplateView } from './render.js';

/** The template folder shipped in the package (`template/`, beside `src/` and `dist/`). */
export const templateDirectory: string = fileURLToPath(new URL('../template/', import.meta.url));

/** Every variable a service made of `choices` reads, in the order `.env.example` lists them. */
export function variablesOf(choices: Pick<ServiceChoices, 'name' | 'connectors'>): ServiceVariable[] {
  return [
    ...serviceVariables(choices.name),
    ...connectors.filter((c) => choices.connectors.includes(c.name)).flatMap((c) => c.variables),
  ];
}

/**
 * The files of a service made of `choices`, by path relative to its directory (`/`-separated), each as written:
 * the templates filled in (one that fills in empty is not written; `name@fastify.js` only for Fastify, as
 * `name.js`; `_name` is written `.name`, since npm would drop a published `.gitignore`), `package.json` and `.env.example`.
 */
export function serviceFiles(choices: ServiceChoices, release: Release): Map<string, string> {
  const view = templateView(choices);
  const files = new Map<string, string>();
  for (const path of templatePaths(templateDirectory)) {
    // `name@condition.ext` is written as `name.ext` when the condition holds: a file per variant.
    const variant = /@([\w|!-]+)(?=\.[^/.]+$)/.exec(path);
    if (variant?.[1] !== undefined && !holds(variant[1], view.conditions)) continue;
    const text = render(readFileSync(join(templateDirectory, path), 'utf8'), view, path);
    if (text.trim() === '') continue;
    const target = path.replace(/@[\w|!-]+(?=\.[^/.]+$)/, '').replace(/(^|\/)_(?=[^/]+$)/, '$1.');
    files.set(target, text);
  }
  files.set('package.json', serviceManifest(choices, release));
  files.set('.env.example', envExample(choices));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function templatePaths(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

function templateView(choices: ServiceChoices): TemplateView {
  const variables = variablesOf(choices);
  const framework = frameworks.find((f) => f.name === choices.framework);
  const run = {
    npm: { install: 'npm install', start: 'npm start', test: 'npm test' },
    pnpm: { install: 'pnpm install', start: 'pnpm start', test: 'pnpm test' },
    yarn: { install: 'yarn install', start: 'yarn start', test: 'yarn test' },
  }[choices.packageManager];
  const width = Math.max(...variables.map((v) => v.name.length + 2));
  const defaultWidth = Math.max(...variables.map((v) => (v.default === '' ? 7 : v.default.length + 2)));
  const row = (a: string, b: string, c: string) =>
    `| ${a.padEnd(width)} | ${b.padEnd(defaultWidth)} | ${c} |`;
  return {
    conditions: new Set([
      ...choices.connectors,
      choices.framework,
      choices.packageManager,
      ...(choices.connectors.length > 0 ? ['connectors'] : []),
    ]),
    values: {
      name: choices.name,
      framework: framework?.title ?? choices.framework,
      install: run.install,
      start: run.start,
      test: run.test,
      connectorList: listed(
        connectors
          .filter((c) => choices.connectors.includes(c.name))
          .map((c) => `${c.title} (\`${c.package}\`)`),
      ),
    },
    inserts: {
      // The service's own table of what it reads (src/config.js).
      variables: variables.map((v) => `  ${v.name}: ${JSON.stringify(v.default)},`).join('\n'),
      'variable-table': [
        row('Variable', 'Default', 'Meaning'),
        row('-'.repeat(width), '-'.repeat(defaultWidth), '---'),
        ...variables.map((v) =>
          row(`\`${v.name}\``, v.default === '' ? '(unset)' : `\`${v.default}\``, v.description),
        ),
      ].join('\n'),
    },
  };
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function envExample(choices: ServiceChoices): string {
  const lines = [
    `# Configuration of ${choices.name}, read from the environment and checked before anything connects.`,
    '# Every variable is optional: the defaults below run against local servers. An empty value means the default.',
    '# A bad value stops the process with status 2 and names the variable.',
    '',
  ];
  for (const variable of variablesOf(choices)) {
    lines.push(`# ${variable.description}`, `${variable.name}=${variable.default}`);
  }
  return `${lines.join('\n')}\n`;
}
