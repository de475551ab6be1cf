import { readFileSync } from 'node:fs';
import { readCommandLine, usage } from './arguments.js';
import type { ServiceChoices } from './choices.js';
import { createService } from './create-service.js';
import { CreateServiceError } from './errors.js';
import { packageManagerOf } from './frameworks.js';
import { askChoices } from './prompts.js';
import type { Release } from './release.js';

/** Where the command reads and writes, and what it runs with. */
export interface CommandIo {
  /** Answers to the prompts; asked only when it is a terminal (`isTTY`). */
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** The prompts, the summary and `--help`. */
  readonly stdout: NodeJS.WritableStream;
  /** Errors. */
  readonly stderr: NodeJS.WritableStream;
  /** The environment: `npm_config_user_agent` names the package manager that ran the command. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The versions to depend on. Defaults to the release this package was built with. */
  readonly release?: Release;
}

/**
 * Runs `create-service` with `argv` (without the node and script paths). Resolves with the exit status: 0 written
 * (or help), 2 bad input (the message names the flag or answer), 1 a write failed.
 */
export async function runCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  try {
    const line = readCommandLine(argv);
    if (line.help) {
      io.stdout.write(`${usage}\n`);
      return 0;
    }
    if (line.version) {
      const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
      io.stdout.write(`${manifest.version}\n`);
      return 0;
    }
    const manager = packageManagerOf(io.env.npm_config_user_agent);
    const choices =
      io.stdin.isTTY === true && !line.yes
        ? await askChoices(line.given, manager, io.stdin, io.stdout)
        : withDefaults(line.given, manager);
    const created = createService({ ...choices, ...(io.release ? { release: io.release } : {}) });
    const where = choices.directory;
    const run = choices.packageManager === 'yarn' ? 'yarn' : `${choices.packageManager} install`;
    io.stdout.write(
      `Wrote ${choices.name} (${choices.connectors.join(', ') || 'no connector'}; ${choices.framework}) to ${where}: ${created.files.length} files.\n\n` +
        `  cd ${where}\n  ${run} && ${choices.packageManager} start\n  ${choices.packageManager} test\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof CreateServiceError) {
      io.stderr.write(`create-service: ${error.message}\n`);
      return 2;
    }
    io.stderr.write(`create-service: ${(error as Error).message ?? String(error)}\n`);
    return 1;
  }
}

function withDefaults(
  given: Partial<ServiceChoices>,
  manager: ServiceChoices['packageManager'],
): ServiceChoices {
  if (given.directory === undefined || given.name === undefined) {
    throw new CreateServiceError(
      'CREATE_ERR_MISSING_DIRECTORY',
      'no directory given (and no terminal to ask for one): npm create @startup/service <directory>. See --help.',
    );
  }
  return {
    directory: given.directory,
    name: given.name,
    connectors: given.connectors ?? [],
    framework: given.framework ?? 'fastify',
    packageManager: given.packageManager ?? manager,
  };
}
