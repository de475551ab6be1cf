// @ts-check
import { createHash } from 'node:crypto';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `docs/reliability.md` of the repository. */
export const reliabilityDoc = fileURLToPath(new URL('../../../docs/reliability.md', import.meta.url));

/**
 * Writes a section of docs/reliability.md from a test, but only when `STARTUP_WRITE_DOCS=1` is set: a
 * default test run leaves the checkout as it found it. (`pnpm soak` writes its section unless `--no-doc`.)
 * @param {string} name
 * @param {string} content
 * @param {{ file?: string, env?: NodeJS.ProcessEnv }} [options] the document (defaults to
 *   {@link reliabilityDoc}) and the environment to read (defaults to `process.env`)
 * @returns {Promise<boolean>} whether the section was written
 */
export async function recordSection(name, content, { file = reliabilityDoc, env = process.env } = {}) {
  if (env.STARTUP_WRITE_DOCS !== '1') return false;
  await replaceSection(file, name, content);
  return true;
}

/**
 * Replaces what lies between `<!-- <name>:start -->` and `<!-- <name>:end -->` in `file` with `content`,
 * leaving the rest of the document as it is. Throws when the markers are missing, so a generated section
 * can never silently stop being updated. Test files run in parallel workers: the read-modify-write holds
 * a lock (an atomic `mkdir`) so two sections written at once both land.
 * @param {string} file
 * @param {string} name
 * @param {string} content
 */
export async function replaceSection(file, name, content) {
  const release = await lock(file);
  try {
    const text = await readFile(file, 'utf8');
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`${file} has no "${start}" … "${end}" section`);
    const next = `${text.slice(0, from + start.length)}\n${content.trim()}\n${text.slice(to)}`;
    if (next !== text) await writeFile(file, next);
  } finally {
    await release();
  }
}

/**
 * Waits (up to 5 s) for the lock of `file`, a directory in the OS temporary directory.
 * @param {string} file
 * @returns {Promise<() => Promise<void>>} releases the lock
 */
async function lock(file) {
  const dir = join(
    tmpdir(),
    `startup-doc-${createHash('sha256').update(file).digest('hex').slice(0, 16)}.lock`,
  );
  for (let i = 0; i < 250; i++) {
    try {
      await mkdir(dir);
      return () => rmdir(dir).catch(() => {});
    } catch (error) {
      if (/** @type {{ code?: string }} */ (error).code !== 'EEXIST') throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  throw new Error(`${dir} is held: remove it if no test is writing ${file}`);
}
