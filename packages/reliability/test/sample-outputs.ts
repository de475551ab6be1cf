import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { SampleProcess } from './sample-app.js';

const run = promisify(execFile);
const monitorBin = fileURLToPath(new URL('../../monitor/dist/bin.js', import.meta.url));

/** Every request a client can make, with a right and a wrong API key. */
export function sampleRequests(apiKey: string): Array<[string, RequestInit?]> {
  const json = { 'content-type': 'application/json' };
  return [
    ['/health'],
    ['/health/live'],
    ['/health/ready'],
    ['/health/startup'],
    ['/metrics'],
    ['/api/v1/stats', { headers: { 'x-api-key': apiKey } }],
    ['/api/v1/stats', { headers: { 'x-api-key': `${apiKey}-wrong` } }],
    ['/api/v1/events/counts'],
    [
      '/api/v1/events',
      { method: 'POST', headers: json, body: JSON.stringify({ type: 'secrets', payload: {} }) },
    ],
    ['/api/v1/events', { method: 'POST', headers: json, body: '{"type": 1}' }],
    ['/no-such-route'],
  ];
}

/**
 * Makes every request of {@link sampleRequests} and returns each answer as text (status, headers, body),
 * plus the ids of the events it recorded. A process that exited meanwhile answers nothing: no text.
 */
export async function askEverything(
  app: SampleProcess,
  apiKey: string,
): Promise<{ texts: string[]; ids: number[] }> {
  const texts: string[] = [];
  const ids: number[] = [];
  for (const [path, init] of sampleRequests(apiKey)) {
    const res = await app.request(path, init).catch(() => undefined);
    if (res === undefined) continue;
    const body = await res.text().catch(() => '');
    if (res.status === 201) ids.push(JSON.parse(body).id);
    texts.push(`${init?.method ?? 'GET'} ${path} ${res.status} ${[...res.headers].join(' ')} ${body}`);
  }
  return { texts, ids };
}

/** The history file, and what the monitor CLI prints from it (`report`, `trend`, `plot`), as text. */
export async function historyOutputs(historyFile: string): Promise<string[]> {
  const texts = [await readFile(historyFile, 'utf8').catch(() => '')];
  for (const command of ['report', 'trend', 'plot']) {
    const { stdout, stderr } = await run(process.execPath, [monitorBin, command, '--file', historyFile], {
      env: { PATH: process.env.PATH ?? '' },
    }).catch((error: { stdout?: string; stderr?: string }) => ({
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }));
    texts.push(`${command}: ${stdout} ${stderr}`);
  }
  return texts;
}

/** A secret as it may be written: as is, URL-encoded and JSON-escaped. */
export function secretForms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])];
}
