import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { HistoryEntry, HistoryStore } from '@startup/monitor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServedProbes, serveProbes } from '../src/index.js';
import { demoApp } from './demo-app.js';
import { decodePng } from './png.js';

const chromium = '/usr/bin/chromium';
const run = promisify(execFile);

/** Headless Chromium on `url` with a fresh profile and nothing reaching out; `extra` says what to produce. */
async function headless(url: string, profile: string, extra: string[]): Promise<string> {
  const { stdout } = await run(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      ...extra,
      url,
    ],
    { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
  );
  return stdout;
}

/** A history in memory, shared by the starts below, so the page has a trend to show. */
function memoryHistory(): HistoryStore {
  const entries: HistoryEntry[] = [];
  return {
    append: async (entry) => void entries.push(entry),
    list: async (limit = 100) => entries.slice(-limit),
  };
}

describe('the start-up page in headless Chromium', () => {
  let dir: string;
  let probes: ServedProbes;
  let url: string;

  beforeAll(async () => {
    if (!existsSync(chromium)) {
      throw new Error(
        `${chromium} is missing: install Debian's chromium (apt-get install -y chromium) to run the browser test`,
      );
    }
    dir = await mkdtemp(join(tmpdir(), 'startup-page-'));
    const history = memoryHistory();
    // Three earlier starts of the same service, then the one served.
    for (let i = 0; i < 3; i++) {
      const earlier = demoApp({ monitor: { history } });
      await earlier.app.start();
      await earlier.monitor.idle();
      await earlier.app.stop();
      earlier.monitor.dispose();
    }
    const demo = demoApp({ monitor: { history } });
    await demo.app.start();
    await demo.monitor.idle();
    probes = await serveProbes({
      app: demo.app,
      monitor: demo.monitor,
      service: 'demo',
      port: 0,
      host: '127.0.0.1',
      signals: [],
    });
    url = `http://127.0.0.1:${probes.port}/startup`;
  });

  afterAll(async () => {
    await probes?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('renders the page without any script: the waterfall rows, grade, recommendations and trend are in the DOM', async () => {
    const dom = await headless(url, join(dir, 'profile-dom'), ['--dump-dom']);
    expect(dom).toContain('<h1>Start-up of demo</h1>');
    expect(dom).toMatch(/<g class="plugin status-ready critical" data-plugin="cache">/);
    expect(dom).toMatch(/<rect class="success" [^>]*width="[1-9]/);
    expect(dom).toMatch(/class="grade grade-[A-F]"/);
    expect(dom).toContain('class="recommendations"');
    expect(dom.match(/<tr class="ready">/g)).toHaveLength(4);
    expect(dom).not.toContain('<script');
  });

  it('paints a screenshot that is not blank and shows the waterfall bars', async () => {
    const file = join(dir, 'startup-page.png');
    await headless(url, join(dir, 'profile-shot'), ['--window-size=1280,1000', `--screenshot=${file}`]);
    const png = decodePng(await readFile(file));
    expect(png.width).toBe(1280);
    let painted = 0;
    let barGreen = 0;
    const colours = new Set<number>();
    for (let y = 0; y < png.height; y += 1) {
      for (let x = 0; x < png.width; x += 1) {
        const [r, g, b] = png.pixel(x, y);
        colours.add((r << 16) | (g << 8) | b);
        if (r < 240 || g < 240 || b < 240) painted++;
        // The fill of an attempt that succeeded (#1a7f37): only the waterfall's bars and its legend use it.
        if (Math.abs(r - 0x1a) <= 6 && Math.abs(g - 0x7f) <= 6 && Math.abs(b - 0x37) <= 6) barGreen++;
      }
    }
    expect(colours.size).toBeGreaterThan(50);
    expect(painted / (png.width * png.height)).toBeGreaterThan(0.03);
    // The legend's swatch is 14 × 12 pixels; the bars of the two plugins are far more.
    expect(barGreen).toBeGreaterThan(1000);
    if (process.env.STARTUP_PAGE_SCREENSHOT) {
      const { copyFile } = await import('node:fs/promises');
      await copyFile(file, process.env.STARTUP_PAGE_SCREENSHOT);
    }
  });
});
