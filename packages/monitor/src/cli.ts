import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isStartupError } from '@startup/core';
import { readStore, storeLocation, UsageError } from './cli-store.js';
import { compareVariants, comparisonText, variantsOf } from './compare.js';
import { svgComparison } from './compare-chart.js';
import { type GradeThresholds, loopbackGrades, originGrades } from './grade.js';
import { predictionAccuracy, predictionText } from './predict.js';
import { sloText, startupSlo } from './slo.js';
import { startSummary } from './start-summary.js';
import { svgWaterfall } from './svg.js';
import { supportsColor } from './terminal-color.js';
import { trend } from './trend.js';
import { trendChart } from './trend-chart.js';

/** Where {@link runCli} reads and writes; `process` in the real `startup-monitor` binary. */
export interface CliIo {
  stdout: { write(chunk: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(chunk: string): unknown };
  /** Relative paths resolve against it. */
  cwd: string;
  /** `STARTUP_HISTORY_FILE`, `NO_COLOR`, `FORCE_COLOR` are read from it. */
  env: Record<string, string | undefined>;
}

/** The history file read when neither `--file` nor `STARTUP_HISTORY_FILE` is given, relative to the cwd. */
export const defaultHistoryFile = '.startup-history.jsonl';

const usage = `Usage: startup-monitor <command> [options]

Commands:
  report   the newest start: waterfall, grade, efficiency, recommendations, its trend
           and the start-up objectives (SLO) over the last starts
  trend    a chart of the wall time of the last starts, baseline and regressions marked
  plot     an SVG waterfall of the newest start, to a file or stdout
  compare <a> <b>  two variants' start times side by side (STARTUP_VARIANT), with a
           Mann–Whitney U test; --out writes the SVG too

Options:
      --store <where>   the history: postgres://user@host/db (a table), redis://host:port
                        (a list) or a JSON-lines file path; defaults to $STARTUP_HISTORY_FILE,
                        else ${defaultHistoryFile} in the current directory. PostgreSQL
                        needs the pg package installed, Redis ioredis
  -f, --file <path>     the same as --store with a file path
      --table <name>    the SQL table of a postgres:// store (default startup_history)
      --key <name>      the list of a redis:// store (default startup:history)
  -s, --service <name>  only starts of this service (a history shared by several)
  -i, --instance <name> report, trend, plot: that instance's newest start(s), against the
                        fleet baseline (the service's completed starts of every instance)
  -n, --last <n>        trend: starts shown (default 20)
  -o, --out <path>      plot: write the SVG there instead of stdout; compare: write its SVG there
      --alpha <p>       compare: significance level (default 0.05)
      --slo-ms <ms>     report: start-time objective for the p95 (default 20000)
      --slo-window <n>  report: starts the objectives are measured over (default 50)
      --max-failure-rate <percent>  report: failure-rate objective (default 1)
      --fail-on-slo     report: exit 1 when an objective is breached
      --grades <name>   origin (A < 15 s, the default) or loopback (A < 150 ms)
      --width <n>       columns (default: the terminal's, else 80)
      --color, --no-color
      --fail-on-regression  exit 1 when the newest start is a regression
  -h, --help            this help
  -v, --version         the version

Exit codes: 0 done, 1 regression (with --fail-on-regression) or objective breached (with
--fail-on-slo), 2 bad usage or unreadable history.
`;

const options = {
  store: { type: 'string' },
  file: { type: 'string', short: 'f' },
  table: { type: 'string' },
  key: { type: 'string' },
  service: { type: 'string', short: 's' },
  instance: { type: 'string', short: 'i' },
  last: { type: 'string', short: 'n' },
  out: { type: 'string', short: 'o' },
  grades: { type: 'string' },
  width: { type: 'string' },
  alpha: { type: 'string' },
  'slo-ms': { type: 'string' },
  'slo-window': { type: 'string' },
  'max-failure-rate': { type: 'string' },
  'fail-on-slo': { type: 'boolean' },
  color: { type: 'boolean' },
  'fail-on-regression': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

const stores = ['store', 'file', 'table', 'key'] as const;

const allowed: Record<string, readonly string[]> = {
  report: [
    ...stores,
    'service',
    'instance',
    'grades',
    'width',
    'color',
    'fail-on-regression',
    'slo-ms',
    'slo-window',
    'max-failure-rate',
    'fail-on-slo',
    'help',
  ],
  trend: [...stores, 'service', 'instance', 'last', 'grades', 'width', 'color', 'fail-on-regression', 'help'],
  plot: [...stores, 'service', 'instance', 'out', 'help'],
  compare: [...stores, 'service', 'out', 'alpha', 'help'],
};

/**
 * Runs `startup-monitor` with `argv` (without `node` and the script) and resolves to its exit code:
 * 0 done, 1 regression with `--fail-on-regression`, 2 bad usage or a missing or unreadable history (a file,
 * or with `--store`, a PostgreSQL table or a Redis list; their drivers `pg` and `ioredis` are loaded only then).
 * Never throws and never exits the process, so it runs in-process in tests.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError || (isStartupError(error) && error.code.startsWith('STARTUP_ERR_'))) {
      io.stderr.write(`startup-monitor: ${error.message}\n`);
      return 2;
    }
    io.stderr.write(
      `startup-monitor: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    return 2;
  }
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout).write(usage);
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  if (!(command in allowed)) {
    throw new UsageError(
      command.startsWith('-')
        ? `unknown option ${command}; the command comes first. Run startup-monitor --help`
        : `unknown command "${command}". Commands: report, trend, plot, compare. Run startup-monitor --help`,
    );
  }
  const { values, positionals } = parse(command, rest);
  if (values.help) {
    io.stdout.write(usage);
    return 0;
  }
  if (values.store !== undefined && values.file !== undefined) {
    throw new UsageError('--store and --file name the same thing: give one');
  }
  if (values.table !== undefined && values.key !== undefined) {
    throw new UsageError('--table is for a postgres:// store and --key for a redis:// one: give one');
  }
  const location = storeLocation(
    values.store ?? values.file ?? (io.env.STARTUP_HISTORY_FILE || defaultHistoryFile),
    io.cwd,
    values.table ?? values.key,
  );
  let entries = await readStore(location, (warning) =>
    io.stderr.write(`startup-monitor: warning: ${warning.message}\n`),
  );
  if (values.service !== undefined) entries = entries.filter((e) => e.service === values.service);
  const where = location.kind === 'file' ? `history file ${location.shown}` : location.shown;
  if (entries.length === 0) {
    const which = values.service === undefined ? '' : ` for service "${values.service}"`;
    throw new UsageError(`no starts recorded${which} in ${where}`);
  }
  const instance = values.instance;
  if (instance !== undefined && !entries.some((e) => e.instance === instance)) {
    const known = [...new Set(entries.flatMap((e) => (e.instance === undefined ? [] : [e.instance])))];
    throw new UsageError(
      `no starts of instance "${instance}" in ${where}; recorded: ${known.sort().join(', ') || 'none named'}`,
    );
  }
  const newest = instance === undefined ? entries.at(-1)! : entries.findLast((e) => e.instance === instance)!;
  const byInstance = instance === undefined ? {} : { instance };
  const color = values.color ?? supportsColor({ stream: io.stdout, env: io.env });
  const width = positiveInteger('--width', values.width, io.stdout.columns || 80);
  const grades = gradesOf(values.grades);

  if (command === 'plot') {
    const svg = svgWaterfall(newest.report);
    if (values.out === undefined) io.stdout.write(svg);
    else {
      const out = await writeSvg(resolve(io.cwd, values.out), svg);
      io.stdout.write(`Wrote ${out} (start recorded ${newest.recordedAt})\n`);
    }
    return 0;
  }
  if (command === 'compare') {
    const found = [...variantsOf(entries)].map(([name, n]) => `${name} (${n})`).join(', ') || 'none';
    if (positionals.length !== 2) {
      throw new UsageError(
        `compare takes two variant labels, e.g. compare pool-2 pool-8; recorded: ${found}`,
      );
    }
    const [a, b] = positionals as [string, string];
    const alpha = values.alpha === undefined ? undefined : Number(values.alpha);
    if (alpha !== undefined && !(alpha > 0 && alpha < 1)) {
      throw new UsageError(`--alpha must be a number between 0 and 1, got "${values.alpha}"`);
    }
    const comparison = compareVariants(entries, a, b, alpha === undefined ? {} : { alpha });
    for (const side of [comparison.a, comparison.b]) {
      if (side.n + side.failed === 0)
        throw new UsageError(`no starts recorded under variant "${side.variant}"; recorded: ${found}`);
    }
    io.stdout.write(comparisonText(comparison));
    if (values.out !== undefined) {
      io.stdout.write(`Wrote ${await writeSvg(resolve(io.cwd, values.out), svgComparison(comparison))}\n`);
    }
    return 0;
  }
  if (command === 'report') {
    const slo = startupSlo(entries, {
      objectiveMs: positiveInteger('--slo-ms', values['slo-ms'], 20_000),
      window: positiveInteger('--slo-window', values['slo-window'], 50),
      maxFailureRate: percentOption('--max-failure-rate', values['max-failure-rate'], 1) / 100,
    });
    const summary = startSummary(entries, { grades, width: Math.max(50, width), color, ...byInstance });
    io.stdout.write(`${summary}\n${sloText(slo)}\n${predictionText(predictionAccuracy(entries))}`);
    const regression = values['fail-on-regression'] && trend(entries, byInstance).regression;
    return regression || (values['fail-on-slo'] && !slo.met) ? 1 : 0;
  }
  io.stdout.write(
    trendChart(entries, {
      grades,
      width: Math.max(50, width),
      color,
      last: positiveInteger('--last', values.last, 20),
      ...byInstance,
    }),
  );
  return values['fail-on-regression'] && trend(entries, byInstance).regression ? 1 : 0;
}

async function writeSvg(out: string, svg: string): Promise<string> {
  await writeFile(out, svg).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot write SVG file ${out}: ${error.code ?? error.message}`);
  });
  return out;
}

function parse(command: string, args: string[]) {
  let parsed: ReturnType<
    typeof parseArgs<{ options: typeof options; allowNegative: true; allowPositionals: boolean }>
  >;
  try {
    parsed = parseArgs({
      args,
      options,
      allowNegative: true,
      strict: true,
      allowPositionals: command === 'compare',
    });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('. ')[0] : String(error);
    throw new UsageError(`${message} (command "${command}"). Run startup-monitor --help`);
  }
  for (const name of Object.keys(parsed.values)) {
    if (!allowed[command]!.includes(name)) {
      throw new UsageError(`option --${name} does not apply to "${command}". Run startup-monitor --help`);
    }
  }
  return parsed;
}

function positiveInteger(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`${flag} must be a positive integer, got "${value}"`);
  }
  return n;
}

function percentOption(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n > 100) {
    throw new UsageError(`${flag} must be a percentage between 0 and 100, got "${value}"`);
  }
  return n;
}

function gradesOf(name: string | undefined): GradeThresholds {
  if (name === undefined || name === 'origin') return originGrades;
  if (name === 'loopback') return loopbackGrades;
  throw new UsageError(`--grades must be "origin" or "loopback", got "${name}"`);
}

function version(): string {
  // One level below the package root both as src/cli.ts and as dist/bin.js.
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
