import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ServiceChoices } from './choices.js';
import { CreateServiceError } from './errors.js';
import { builtRelease, type Release } from './release.js';
import { serviceFiles } from './service-files.js';

/** Options of {@link createService}: the choices, and the release whose versions the service depends on. */
export interface CreateServiceOptions extends ServiceChoices {
  /** The versions to depend on. Defaults to this package's own release (the versions it was built with). */
  readonly release?: Release;
}

/** What {@link createService} wrote. */
export interface CreatedService {
  /** The service's directory, absolute. */
  readonly directory: string;
  /** Every file written, relative to `directory`, sorted. */
  readonly files: readonly string[];
}

/**
 * Writes a new service into `options.directory`, created if missing. A directory that exists and is not empty
 * (or a file in its place) is refused with `CREATE_ERR_DIRECTORY_NOT_EMPTY` before anything is written.
 */
export function createService(options: CreateServiceOptions): CreatedService {
  const release = options.release ?? builtRelease;
  if (release === undefined) {
    throw new CreateServiceError('CREATE_ERR_NO_RELEASE', 'no release given, and this copy is not built');
  }
  const directory = resolve(options.directory);
  if (existsSync(directory) && (!statSync(directory).isDirectory() || readdirSync(directory).length > 0)) {
    throw new CreateServiceError(
      'CREATE_ERR_DIRECTORY_NOT_EMPTY',
      `${options.directory} is not an empty directory: nothing was written. Choose a new or empty directory.`,
    );
  }
  const files = serviceFiles(options, release);
  for (const [path, text] of files) {
    const target = join(directory, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return { directory, files: [...files.keys()] };
}
