import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SampleProcess, spawnSample } from './sample-process.js';

// Secrets are masked in logs and reports. If an answer repeated what the client sent, the mask would tell
// a client which of its guesses is a secret: the right guess would come back as "****", a wrong one as is.
const password = 'guessme-pg-password-0042';
const apiKey = 'guessme-api-key-0123456789';
/** Wrong guesses of the same length, so a length in a header cannot differ either. */
const wrong = (secret: string) => secret.replace(/[a-z]/g, 'x');

/** Requests carrying `guess` in the URL, a header or the body. */
function requests(guess: string): Array<[string, string, RequestInit?]> {
  const json = { 'content-type': 'application/json' };
  const guesses = Array.from({ length: 400 }, (_, i) => (i === 200 ? guess : wrong(guess)));
  const post = (body: string, headers: Record<string, string> = json): RequestInit => ({
    method: 'POST',
    headers,
    body,
  });
  return [
    ['404, guesses in the query', `/x?g=${guesses.join(',')}`],
    ['404, guess in the path', `/api/v1/${guess}`],
    ['404, another method', `/api/v1/events/${guess}`, { method: 'DELETE' }],
    ['401, guess as the API key', '/api/v1/stats', { headers: { 'x-api-key': guess } }],
    ['401, guess in another header', '/api/v1/stats', { headers: { 'x-guess': guess } }],
    ['counts, guess in the query', `/api/v1/events/counts?g=${guess}`],
    [
      '415, guess as the content type',
      '/api/v1/events',
      post('{}', { 'content-type': `application/${guess}` }),
    ],
    ['400, malformed JSON', '/api/v1/events', post(`{"type": "${guess}", `)],
    ['400, guess as a type', '/api/v1/events', post(JSON.stringify({ type: guess, payload: {}, x: 1 }))],
    ['400, guess as an unknown field', '/api/v1/events', post(JSON.stringify({ [guess]: 1 }))],
    ['400, guess as a key', '/api/v1/events', post(`{"type":"ok","payload":{"${guess}":"\\u0000"}}`)],
    [
      '400, guess in a deep value',
      '/api/v1/events',
      post(`{"type":"ok","payload":{"${guess}":${'['.repeat(40)}]}}`),
    ],
    [
      '400, guess in the Idempotency-Key',
      '/api/v1/events',
      {
        ...post(JSON.stringify({ type: 'ok', payload: {} })),
        headers: { ...json, 'idempotency-key': `${guess} x` },
      },
    ],
  ];
}

/** Status, headers but `date`, and body: what a client can compare. */
async function answer(app: SampleProcess, path: string, init?: RequestInit): Promise<string> {
  const res = await app.request(path, init);
  const headers = [...res.headers].filter(([name]) => name !== 'date');
  return JSON.stringify({ status: res.status, headers, body: await res.text() });
}

describe('answers never repeat what the client sent', () => {
  let app: SampleProcess;

  beforeAll(async () => {
    app = spawnSample({
      DATABASE_URL: `postgres://postgres:${password}@127.0.0.1:5432/test`,
      API_KEY: apiKey,
    });
    await app.ready();
  });
  afterAll(async () => {
    expect(await app.stop()).toBe(0);
  });

  for (const [name, secret] of [
    ['the PostgreSQL password', password],
    ['the API key', apiKey],
  ] as const) {
    it(`answers exactly the same whether a guess of ${name} is right or wrong`, async () => {
      const right = requests(secret);
      const guessed = requests(wrong(secret));
      for (const [index, [what, path, init]] of right.entries()) {
        // The right API key rightly opens the stats: that one answer is meant to differ.
        if (secret === apiKey && what.includes('as the API key')) continue;
        const [, wrongPath, wrongInit] = guessed[index]!;
        const [withSecret, withGuess] = [
          await answer(app, path, init),
          await answer(app, wrongPath, wrongInit),
        ];
        expect({ what, answer: withSecret }).toEqual({ what, answer: withGuess });
        expect(withSecret).not.toContain('****');
        expect(JSON.parse(withSecret).status, what).toBeLessThan(500);
      }
    });
  }

  it('says "Not found" to an unknown route, naming nothing of the request', async () => {
    const res = await app.request('/no/such/route?q=1');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      error: 'Not Found',
      message: 'Not found',
    });
  });
});
