import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import {
  checkName,
  parseConnectors,
  parseFramework,
  parsePackageManager,
  type ServiceChoices,
} from './choices.js';
import { CreateServiceError } from './errors.js';

/** The command line, read: what to do and the choices given as flags (the rest is asked or defaulted). */
export interface CommandLine {
  /** `--help`: print the usage and exit 0. */
  readonly help: boolean;
  /** `--version`: print the generator's version and exit 0. */
  readonly version: boolean;
  /** `--yes`: ask nothing; what no flag gives takes its default. */
  readonly yes: boolean;
  /** The choices given, each validated; a missing one is asked in a terminal. */
  readonly given: Partial<ServiceChoices>;
}

/** The usage text of `create-service --help`. */
export const usage = `Usage: npm create @startup/service <directory> -- [options]
       create-service <directory> [options]

Writes a new service into <directory> (created if missing; a non-empty one is refused).
In a terminal, every choice not given as a flag is asked; elsewhere it takes its default.

Options:
  --name <name>                 package and service name (default: the directory's name)
  --connectors <list>           comma-separated: postgres, redis, nats, mysql, amqp, mqtt, http, or none
                                (default: none)
  --framework <name>            fastify or node-http (default: fastify)
  --package-manager <name>      npm, pnpm or yarn, for the README's commands (default: the one running this)
  -y, --yes                     ask nothing: defaults for every choice not given
  -h, --help                    this text
  --version                     the generator's version

Exit status: 0 written, 1 a write failed, 2 bad input (a flag, an answer, a non-empty directory).`;

/**
 * Reads the command line. Every flag's value is validated here: an unknown flag, a missing value, a second
 * directory or a bad value throws a {@link CreateServiceError} naming the flag.
 */
export function readCommandLine(argv: readonly string[]): CommandLine {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new CreateServiceError('CREATE_ERR_INVALID_FLAG', `${(error as Error).message}. See --help.`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new CreateServiceError(
      'CREATE_ERR_INVALID_FLAG',
      `one directory expected, got ${positionals.length}: ${positionals.join(' ')}. See --help.`,
    );
  }
  const directory = positionals[0];
  const given: { -readonly [K in keyof ServiceChoices]?: ServiceChoices[K] } = {};
  if (directory !== undefined) {
    if (directory.trim() === '')
      throw new CreateServiceError('CREATE_ERR_INVALID_FLAG', 'the directory is empty');
    given.directory = directory;
  }
  if (values.name !== undefined) given.name = checkName(values.name);
  else if (directory !== undefined)
    given.name = checkName(basename(directory), 'the directory name (or give --name)');
  if (values.connectors !== undefined) given.connectors = parseConnectors(values.connectors);
  if (values.framework !== undefined) given.framework = parseFramework(values.framework);
  if (values['package-manager'] !== undefined) {
    given.packageManager = parsePackageManager(values['package-manager']);
  }
  return { help: values.help, version: values.version, yes: values.yes, given };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      name: { type: 'string' },
      connectors: { type: 'string' },
      framework: { type: 'string' },
      'package-manager': { type: 'string' },
      yes: { type: 'boolean', short: 'y', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', default: false },
    },
  });
}
