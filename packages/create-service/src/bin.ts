#!/usr/bin/env node
// The `create-service` bin, which `npm create @startup/service` (and `npm init`, `pnpm create`) runs.
import { runCommand } from './cli.js';

process.exitCode = await runCommand(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
