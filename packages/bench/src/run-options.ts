/** What one invocation of the suite does. */
export interface RunOptions {
  /** `--quick`: fewer repetitions and shorter loads, for a smoke run (under 3 minutes). */
  quick: boolean;
  /** `--only P1,P4`: the measures to run; all when empty. */
  only: string[];
  /** `--out FILE`: where the document goes. Defaults to docs/benchmarks.md, or nowhere for `--quick`. */
  out: string | undefined;
  /** The command line that reproduces the run, for the document. */
  command: string;
}

/** Parses `process.argv.slice(2)`; throws on an unknown flag so a typo does not run 15 minutes for nothing. */
export function parseRunOptions(argv: readonly string[]): RunOptions {
  const options: RunOptions = { quick: false, only: [], out: undefined, command: 'pnpm bench' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--' || arg === '--no-build') continue;
    if (arg === '--quick') options.quick = true;
    else if (arg === '--only') options.only = (argv[++i] ?? '').split(',').map((s) => s.trim().toUpperCase());
    else if (arg.startsWith('--only='))
      options.only = arg
        .slice(7)
        .split(',')
        .map((s) => s.trim().toUpperCase());
    else if (arg === '--out') options.out = argv[++i];
    else if (arg.startsWith('--out=')) options.out = arg.slice(6);
    else
      throw new Error(
        `Unknown option "${arg}". Usage: pnpm bench [--quick] [--only P1,P2,…] [--out FILE] [--no-build]`,
      );
  }
  const shown = argv.filter((a) => a !== '--' && a !== '--no-build');
  options.command = ['npx --yes pnpm@10.34.8 bench', ...shown].join(' ');
  return options;
}
