import { createInterface } from 'node:readline/promises';
import {
  checkName,
  parseConnectors,
  parseFramework,
  parsePackageManager,
  type ServiceChoices,
} from './choices.js';
import { connectors } from './connectors.js';
import { CreateServiceError } from './errors.js';
import { frameworks, type PackageManager } from './frameworks.js';

/**
 * Asks, in a terminal, for every choice not `given`, each with its default; an answer that is not valid is
 * asked again, with the reason. Ends (`CREATE_ERR_MISSING_DIRECTORY`) when the input closes before a directory.
 */
export async function askChoices(
  given: Partial<ServiceChoices>,
  defaultManager: PackageManager,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<ServiceChoices> {
  const terminal = createInterface({ input, output });
  // Lines are read from the iterator, which queues them: answers typed ahead (or pasted at once) are kept.
  const lines = terminal[Symbol.asyncIterator]();
  let closed = false;
  const ask = async <T>(question: string, fallback: string, parse: (answer: string) => T): Promise<T> => {
    for (;;) {
      // Written, not `terminal.prompt()`: once the input has ended (answers piped or typed ahead), readline is
      // closed and newer Nodes throw ERR_USE_AFTER_CLOSE from prompt(), while queued answers are still to be read.
      output.write(`${question} (${fallback || 'none'}): `);
      const next = closed ? undefined : await lines.next();
      if (next === undefined || next.done === true) closed = true;
      const answer = next?.done === false ? String(next.value).trim() : '';
      try {
        return parse(answer === '' ? fallback : answer);
      } catch (error) {
        if (!(error instanceof CreateServiceError) || closed) throw error;
        output.write(`  ${error.message}\n`);
      }
    }
  };
  try {
    const directory =
      given.directory ??
      (await ask('Directory of the new service', '', (answer) => {
        if (answer === '') {
          throw new CreateServiceError('CREATE_ERR_MISSING_DIRECTORY', 'a directory is needed');
        }
        return answer;
      }));
    const name =
      given.name ??
      (await ask('Service name', directory.split(/[\\/]/).at(-1) ?? '', (a) => checkName(a, 'the name')));
    const connectorChoices =
      given.connectors ??
      (await ask(
        `Connectors, comma-separated, from ${connectors.map((c) => c.name).join(', ')}`,
        '',
        (answer) => parseConnectors(answer, 'the connectors'),
      ));
    const framework =
      given.framework ??
      (await ask(
        `Framework: ${frameworks.map((f) => `${f.name} (${f.title})`).join(' or ')}`,
        'fastify',
        (answer) => parseFramework(answer, 'the framework'),
      ));
    const packageManager =
      given.packageManager ??
      (await ask('Package manager: npm, pnpm or yarn', defaultManager, (answer) =>
        parsePackageManager(answer, 'the package manager'),
      ));
    return { directory, name, connectors: connectorChoices, framework, packageManager };
  } finally {
    terminal.close();
  }
}
