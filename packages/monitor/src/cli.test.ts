import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failedStart, fleetHistory, sampleHistory, scaleStart } from '../test/sample-starts.js';
import { checkWellFormed } from '../test/xml-well-formed.js';
import { type CliIo, runCli } from './cli.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'startup-monitor-cli-'));
  await writeHistory('.startup-history.jsonl', sampleHistory());
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeHistory(name: string, entries: unknown[], extra = '') {
  await writeFile(join(dir, name), entries.map((e) => `${JSON.stringify(e)}\n`).join('') + extra);
}

async function cli(argv: string[], env: Record<string, string | undefined> = {}, isTTY = false) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s), isTTY, columns: 100 },
    stderr: { write: (s: string) => (stderr += s) },
    cwd: dir,
    env,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe('startup-monitor compare', () => {
  const arm = (variant: string, factor: number, i: number) => {
    const [entry] = sampleHistory(1, 0);
    return { ...entry!, variant, report: scaleStart(entry!.report, factor + (i % 5) * 0.01) };
  };
  beforeEach(async () => {
    const entries = Array.from({ length: 10 }, (_, i) => [arm('pool-2', 1, i), arm('pool-8', 0.8, i)]).flat();
    await writeHistory('.startup-history.jsonl', entries);
  });

  it('shows two variants side by side with the test, and writes the SVG with --out', async () => {
    const { code, stdout, stderr } = await cli([
      'compare',
      'pool-2',
      'pool-8',
      '--alpha',
      '0.01',
      '--out',
      'ab.svg',
    ]);
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout).toMatch(/starts +10 +10/);
    expect(stdout).toContain('faster than pool-2 by median; significant');
    expect(stdout).toContain('α = 0.01');
    checkWellFormed(await readFile(join(dir, 'ab.svg'), 'utf8'));
  });

  it('names the variants recorded when one is missing or not given', async () => {
    const missing = await cli(['compare', 'pool-2', 'pool-3']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      'no starts recorded under variant "pool-3"; recorded: pool-2 (10), pool-8 (10)',
    );
    expect((await cli(['compare', 'pool-2'])).stderr).toContain('compare takes two variant labels');
    expect((await cli(['compare', 'pool-2', 'pool-8', '--alpha', '2'])).stderr).toContain('--alpha must be');
    expect((await cli(['report', 'extra'])).code).toBe(2);
  });
});

describe('runCli', () => {
  it('reports the newest start of the history file in the working directory', async () => {
    const { code, stdout, stderr } = await cli(['report']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('orders-api · newest of 12 starts');
    expect(stdout).toMatch(/redis +▒+░+▒+░+█+ +395 ms, 3 tries/);
    expect(stdout).toContain('Grade A (EXCELLENT)');
    expect(stdout).toContain('Recommendations');
    expect(stdout).toContain('▲ regression');
  });

  it('shows the start-up objectives over the last starts, and fails on a breach when asked', async () => {
    const { code, stdout } = await cli(['report', '--fail-on-slo']);
    expect(stdout).toContain(
      'Start-up objectives over the last 12 starts (window 50, 2025-03-01T10:00:00.000Z',
    );
    expect(stdout).toContain('start time p95 ≤ 20.0 s: 1.2 s — met');
    expect(stdout).toContain('failure rate < 1 %: 8.3 % (1 of 12) — BREACHED, over by 7.3 percentage points');
    expect(stdout).toContain('Predictions: none recorded yet');
    expect(code).toBe(1);
    const lenient = await cli([
      'report',
      '--max-failure-rate',
      '10',
      '--slo-ms',
      '1000',
      '--slo-window',
      '11',
    ]);
    expect(lenient.stdout).toContain('last 11 starts');
    expect(lenient.stdout).toContain('start time p95 ≤ 1.0 s: 1.2 s — BREACHED, over by 200 ms');
    expect(lenient.code).toBe(0);
    expect((await cli(['report', '--max-failure-rate', 'x'])).stderr).toContain('--max-failure-rate must be');
  });

  it('shows how good the recorded predictions have been', async () => {
    const entries = sampleHistory(3, 0).map((e) => ({
      ...e,
      prediction: { wallMs: e.report.wallMs * 1.1, plugins: {}, basedOn: 5 },
    }));
    await writeHistory('.startup-history.jsonl', entries);
    expect((await cli(['report'])).stdout).toMatch(
      /Predictions: 3 completed starts predicted, median error 10 %; newest: predicted .+, took /,
    );
  });

  it('grades with the loopback preset when asked', async () => {
    expect((await cli(['report', '--grades', 'loopback'])).stdout).toContain('Grade F (UNACCEPTABLE)');
  });

  it('charts the trend of the last N starts', async () => {
    const { code, stdout } = await cli(['trend', '--last', '4']);
    expect(code).toBe(0);
    expect(stdout).toContain('Wall time of the last 4 of 12 starts');
    expect(stdout.match(/^\s*\d+ {2}2025-/gm)).toHaveLength(4);
    expect(stdout).toContain('▲ +40 %');
  });

  it('writes the SVG waterfall to stdout or to a file', async () => {
    const toStdout = await cli(['plot']);
    expect(toStdout.code).toBe(0);
    expect(checkWellFormed(toStdout.stdout)).toBe('svg');
    const toFile = await cli(['plot', '--out', 'start.svg']);
    expect(toFile.code).toBe(0);
    expect(toFile.stdout).toContain(`Wrote ${join(dir, 'start.svg')}`);
    expect(await readFile(join(dir, 'start.svg'), 'utf8')).toBe(toStdout.stdout);
  });

  it('reads the file named by --file, else by STARTUP_HISTORY_FILE', async () => {
    await writeHistory('other.jsonl', sampleHistory(3, 0, 'billing'));
    expect((await cli(['report', '--file', 'other.jsonl'])).stdout).toContain('billing · newest of 3 starts');
    expect((await cli(['report'], { STARTUP_HISTORY_FILE: join(dir, 'other.jsonl') })).stdout).toContain(
      'billing',
    );
    expect(
      (await cli(['report', '-f', '.startup-history.jsonl'], { STARTUP_HISTORY_FILE: 'other.jsonl' })).stdout,
    ).toContain('orders-api');
  });

  it('reads a file named by --store as by --file', async () => {
    const byStore = await cli(['report', '--store', '.startup-history.jsonl']);
    expect(byStore.code).toBe(0);
    expect(byStore.stdout).toBe((await cli(['report', '--file', '.startup-history.jsonl'])).stdout);
  });

  it('compares the newest start of --instance with the fleet baseline', async () => {
    await writeHistory('.startup-history.jsonl', fleetHistory());
    // The newest start of the store is an ordinary one of orders-api-1.
    const fleet = await cli(['report', '--fail-on-regression']);
    expect(fleet.code).toBe(0);
    expect(fleet.stdout).toContain('orders-api · instance orders-api-1 · newest of 13 starts');
    const slow = await cli(['report', '--instance', 'orders-api-3', '--fail-on-regression']);
    expect(slow.code).toBe(1);
    expect(slow.stdout).toContain('orders-api · instance orders-api-3 · newest of 4 starts');
    expect(slow.stdout).toContain(
      '1.2 s against a baseline of 854 ms (median of 10 completed starts across 3 instances): +40 %',
    );
    expect(slow.stdout).toMatch(/▲\s+regression/);
    const chart = await cli(['trend', '-i', 'orders-api-3', '--fail-on-regression']);
    expect(chart.code).toBe(1);
    expect(chart.stdout).toContain('Wall time of the last 4 of 4 starts of instance orders-api-3');
    expect(chart.stdout).toContain('of 3 instances');
    const plot = await cli(['plot', '--instance', 'orders-api-3', '-o', 'slow.svg']);
    expect(plot.stdout).toContain('(start recorded 2025-03-01T10:11:00.000Z)');
    const missing = await cli(['report', '--instance', 'orders-api-9']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no starts of instance "orders-api-9" in history file');
    expect(missing.stderr).toContain('recorded: orders-api-1, orders-api-2, orders-api-3');
  });

  it('keeps only the starts of --service', async () => {
    const mixed = [...sampleHistory(3, 0, 'billing'), ...sampleHistory(12)];
    await writeHistory('.startup-history.jsonl', mixed);
    expect((await cli(['trend', '--service', 'billing'])).stdout).toContain('the last 3 of 3 starts');
    const none = await cli(['report', '--service', 'nope']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no starts recorded for service "nope" in history file');
  });

  it('skips a corrupt line with a warning on stderr and reports the rest', async () => {
    await writeHistory(
      '.startup-history.jsonl',
      sampleHistory(),
      '{"recordedAt": "2025-03-01T10:12:00.000Z", "rep',
    );
    const { code, stdout, stderr } = await cli(['trend']);
    expect(code).toBe(0);
    expect(stdout).toContain('the last 12 of 12 starts');
    expect(stderr).toMatch(/^startup-monitor: warning: .*\.startup-history\.jsonl:13/);
  });

  it.each(['report', 'trend'])(
    '%s skips malformed entries with a one-line warning each, never a stack',
    async (command) => {
      const history: any[] = sampleHistory().map((e) => structuredClone(e));
      history[4].report.plugins[1] = null;
      delete history[7].report.plugins[0].attempts;
      history[11].report.plugins[2].name = 5;
      await writeHistory('.startup-history.jsonl', history);
      const { code, stdout, stderr } = await cli([command]);
      expect(code).toBe(0);
      expect(stdout).toContain(command === 'report' ? 'newest of 9 starts' : 'the last 9 of 9 starts');
      const warnings = stderr.trimEnd().split('\n');
      expect(warnings).toHaveLength(3);
      expect(warnings[0]).toMatch(
        /^startup-monitor: warning: Skipped an invalid entry \(entry\.report\.plugins\[1\] is not an object\) in start-up history .*:5$/,
      );
      expect(stderr).toContain('(entry.report.plugins[0].attempts is not an array)');
      expect(stderr).toContain('(entry.report.plugins[2].name is not a string)');
      expect(stderr).not.toContain('TypeError');
    },
  );

  it('grades a failed newest start F (FAILED) in the report and the trend', async () => {
    const history = sampleHistory(3, 0);
    history.push({ recordedAt: '2025-03-01T10:03:00.000Z', service: 'orders-api', report: failedStart() });
    await writeHistory('.startup-history.jsonl', history);
    expect((await cli(['report'])).stdout).toContain('Grade F (FAILED)');
    expect((await cli(['trend'])).stdout).toMatch(/^4 {2}2025-03-01 10:03:00 {2}F {2}/m);
  });

  it('exits 1 with --fail-on-regression when the newest start regressed, else 0', async () => {
    expect((await cli(['report', '--fail-on-regression'])).code).toBe(1);
    expect((await cli(['trend', '--fail-on-regression'])).code).toBe(1);
    await writeHistory('.startup-history.jsonl', sampleHistory(12, 0));
    expect((await cli(['trend', '--fail-on-regression'])).code).toBe(0);
  });

  it('colours a TTY, or when FORCE_COLOR says so, unless --no-color', async () => {
    expect((await cli(['report'])).stdout).not.toContain('\u001b[');
    expect((await cli(['report'], { TERM: 'xterm-256color' }, true)).stdout).toContain('\u001b[');
    expect((await cli(['report'], { FORCE_COLOR: '1' })).stdout).toContain('\u001b[');
    expect((await cli(['report', '--no-color'], { FORCE_COLOR: '1' })).stdout).not.toContain('\u001b[');
    expect((await cli(['report'], { TERM: 'xterm-256color', NO_COLOR: '1' }, true)).stdout).not.toContain(
      '\u001b[',
    );
  });

  it('prints help and the version', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: startup-monitor <command> \[options\]/);
    expect((await cli(['trend', '-h'])).stdout).toContain('Commands:');
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  describe('fails with exit code 2 and a message naming the problem', () => {
    it('for a missing history file', async () => {
      const { code, stdout, stderr } = await cli(['report', '--file', 'missing.jsonl']);
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
      expect(stderr).toContain(`no history file at ${join(dir, 'missing.jsonl')}`);
    });

    it('for a history path that cannot be read as a file', async () => {
      const { code, stderr } = await cli(['trend', '--file', '.']);
      expect(code).toBe(2);
      expect(stderr).toContain(`history file ${dir} is a directory`);
      const through = await cli(['trend', '--file', '.startup-history.jsonl/x']);
      expect(through.code).toBe(2);
      expect(through.stderr).toContain(
        `cannot read history file ${join(dir, '.startup-history.jsonl/x')}: ENOTDIR`,
      );
    });

    it('for a history with no valid start', async () => {
      await writeFile(join(dir, 'empty.jsonl'), 'not json\n');
      const { code, stderr } = await cli(['plot', '-f', 'empty.jsonl']);
      expect(code).toBe(2);
      expect(stderr).toContain(`no starts recorded in history file ${join(dir, 'empty.jsonl')}`);
    });

    it('for an unknown command, option or value', async () => {
      const cases: [string[], string][] = [
        [['report', '--store', 'mysql://root@localhost/test'], 'a postgres://, redis:// URL or a file path'],
        [['report', '--store', 'a.jsonl', '--file', 'b.jsonl'], '--store and --file name the same thing'],
        [['report', '--table', 'starts'], '--table and --key apply to a postgres:// or redis:// store'],
        [['compare', 'a', 'b', '--instance', 'x'], 'option --instance does not apply to "compare"'],
        [['deploy'], 'unknown command "deploy"'],
        [['report', '--verbose'], "Unknown option '--verbose'"],
        [['--file', 'x'], 'unknown option --file; the command comes first'],
        [['plot', '--last', '3'], 'option --last does not apply to "plot"'],
        [['trend', '--last', '0'], '--last must be a positive integer, got "0"'],
        [['trend', '--width', 'wide'], '--width must be a positive integer, got "wide"'],
        [['report', '--grades', 'strict'], '--grades must be "origin" or "loopback", got "strict"'],
        [['report', '--file'], "Option '-f, --file <value>' argument missing"],
        [['report', 'extra'], "Unexpected argument 'extra'"],
      ];
      for (const [argv, message] of cases) {
        const result = await cli(argv);
        expect(result.code, argv.join(' ')).toBe(2);
        expect(result.stderr, argv.join(' ')).toContain(message);
      }
    });

    it('for no command at all, with the usage on stderr', async () => {
      const { code, stdout, stderr } = await cli([]);
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
      expect(stderr).toContain('Usage: startup-monitor');
    });

    it('for an SVG file that cannot be written', async () => {
      const { code, stderr } = await cli(['plot', '--out', 'no/such/dir/start.svg']);
      expect(code).toBe(2);
      expect(stderr).toContain(`cannot write SVG file ${join(dir, 'no/such/dir/start.svg')}: ENOENT`);
    });
  });
});
