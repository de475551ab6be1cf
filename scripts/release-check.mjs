#!/usr/bin/env node
// Release readiness, without publishing: on a copy of the repository (its files as git sees them, plus the
// built dist of each public package), runs `changeset version` and checks the versions and changelogs it
// writes for the pending changesets; then packs each public package and checks what
// `npm publish --dry-run` would publish: only LICENSE, README.md, CHANGELOG.md, package.json and dist/ (and a
// generator's template/),
// no `workspace:` range, @startup/core's peer range at its new version.
// Usage: node scripts/release-check.mjs [--keep]   (run after `pnpm build`)
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { publicPackages } from './public-packages.mjs';

const root = new URL('..', import.meta.url).pathname;
const copy = mkdtempSync(join(tmpdir(), 'startup-release-'));
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};
const order = ['none', 'patch', 'minor', 'major'];
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** `version` bumped by `type`, as semver does it (0.x included: a major of 0.1.0 is 1.0.0). */
function bump(version, type) {
  const [major, minor, patch] = version.split('.').map(Number);
  if (type === 'major') return `${major + 1}.0.0`;
  if (type === 'minor') return `${major}.${minor + 1}.0`;
  if (type === 'patch') return `${major}.${minor}.${patch + 1}`;
  return version;
}

/** The pending changesets: their file, the bump each names per package and the summary's first line. */
function pendingChangesets(dir) {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.md') && file !== 'README.md')
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      const [, front = '', body = ''] = text.split(/^---\s*$/m);
      const releases = new Map(
        front
          .split('\n')
          .map((line) => line.match(/^\s*["']?([^"':]+)["']?\s*:\s*(major|minor|patch)\s*$/))
          .filter(Boolean)
          .map((match) => [match[1], match[2]]),
      );
      return { file, releases, summary: body.trim().split('\n')[0] };
    });
}

// The copy: tracked and new files, not what .gitignore leaves out; then the public packages' dist.
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
  cwd: root,
})
  .toString()
  .split('\0')
  .filter((file) => file && existsSync(join(root, file)));
for (const file of files) {
  mkdirSync(join(copy, dirname(file)), { recursive: true });
  cpSync(join(root, file), join(copy, file));
}
const packages = publicPackages(root);
for (const pkg of packages) {
  if (!existsSync(join(pkg.dir, 'dist'))) throw new Error(`${pkg.name} is not built; run pnpm build first`);
  cpSync(join(pkg.dir, 'dist'), join(copy, relative(root, pkg.dir), 'dist'), { recursive: true });
}

const changesets = pendingChangesets(join(copy, '.changeset'));
console.log(`pending changesets: ${changesets.map((c) => c.file).join(', ') || 'none'}`);
const before = new Map(packages.map((pkg) => [pkg.name, pkg.manifest.version]));
const privateBefore = publicPackages.all(root).filter((pkg) => pkg.manifest.private === true);

const version = spawnSync(process.execPath, [join(root, 'node_modules/@changesets/cli/bin.js'), 'version'], {
  cwd: copy,
  encoding: 'utf8',
});
check(version.status === 0, 'changeset version runs on the copy');
if (version.status !== 0) console.log(version.stdout + version.stderr);

const after = new Map(publicPackages(copy).map((pkg) => [pkg.name, pkg.manifest]));
const newCore = after.get('@startup/core')?.version;
for (const pkg of packages) {
  const manifest = after.get(pkg.name);
  const asked = changesets.reduce((type, c) => {
    const own = c.releases.get(pkg.name) ?? 'none';
    return order.indexOf(own) > order.indexOf(type) ? own : type;
  }, 'none');
  const old = before.get(pkg.name);
  if (asked !== 'none') {
    check(
      manifest.version === bump(old, asked),
      `${pkg.name}: ${old} → ${manifest.version} (its changesets ask for ${asked})`,
    );
  } else {
    // Not named: at most a dependency-update bump that stays within its major line (0.x: its minor line).
    const [oldMajor, oldMinor] = old.split('.');
    const [newMajor, newMinor] = manifest.version.split('.');
    const sameLine =
      oldMajor === newMajor &&
      (oldMajor !== '0' || oldMinor === newMinor || Number(newMinor) === Number(oldMinor) + 1);
    check(sameLine, `${pkg.name}: ${old} → ${manifest.version} (named by no changeset)`);
  }
  const changelog = join(copy, relative(root, pkg.dir), 'CHANGELOG.md');
  if (manifest.version !== old) {
    const text = existsSync(changelog) ? readFileSync(changelog, 'utf8') : '';
    const firstHeading = text.match(/^## (.+)$/m)?.[1];
    check(firstHeading === manifest.version, `${pkg.name}: CHANGELOG.md opens with ## ${manifest.version}`);
    for (const c of changesets.filter((c) => c.releases.has(pkg.name))) {
      check(text.includes(c.summary), `${pkg.name}: CHANGELOG.md has "${c.summary}" (${c.file})`);
    }
  }
  if (manifest.peerDependencies?.['@startup/core'] !== undefined) {
    check(
      manifest.peerDependencies['@startup/core'] === 'workspace:^',
      `${pkg.name}: peer @startup/core stays workspace:^`,
    );
  }
}
for (const pkg of privateBefore) {
  const now = readJson(join(copy, relative(root, pkg.dir), 'package.json')).version;
  check(now === pkg.manifest.version, `${pkg.name} (private): version stays ${pkg.manifest.version}`);
}
check(
  changesets.every((c) => !existsSync(join(copy, '.changeset', c.file))),
  'the pending changesets are consumed',
);

// Pack the versioned copy (pnpm replaces workspace: ranges, so it needs the workspace installed, offline).
const pnpm = (args, cwd) => spawnSync('npx', ['--yes', 'pnpm@10.34.8', ...args], { cwd, encoding: 'utf8' });
const install = pnpm(
  ['install', '--frozen-lockfile', '--offline', '--ignore-scripts', '--reporter=silent'],
  copy,
);
check(install.status === 0, 'pnpm install --offline on the versioned copy');
if (install.status !== 0) console.log(install.stdout + install.stderr);
const tarballs = join(copy, '.tarballs');
mkdirSync(tarballs);
// Besides these, a package's own `bin` files (the monitor's CLI launcher), and the templates of a package that
// names `template` in its `files` (@startup/create-service writes a new service from them).
const allowed = (path, manifest) =>
  ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json'].includes(path) ||
  /^dist\/[\w.-]+\.(js|d\.ts|js\.map)$/.test(path) ||
  (manifest.files?.includes('template') === true && path.startsWith('template/'));
for (const pkg of packages) {
  const packed = pnpm(
    ['pack', '--json', '--pack-destination', tarballs],
    join(copy, relative(root, pkg.dir)),
  );
  if (packed.status !== 0) {
    check(false, `pnpm pack ${pkg.name}`);
    console.log(packed.stdout + packed.stderr);
    continue;
  }
  const tarball = JSON.parse(packed.stdout).filename;
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json']).toString());
  check(
    !JSON.stringify(manifest).includes('workspace:'),
    `${pkg.name}@${manifest.version}: no workspace: range in the tarball`,
  );
  if (manifest.peerDependencies?.['@startup/core'] !== undefined) {
    check(
      manifest.peerDependencies['@startup/core'] === `^${newCore}`,
      `${pkg.name}: peer @startup/core is ^${newCore}`,
    );
  }
  const publish = spawnSync('npm', ['publish', '--dry-run', '--no-update-notifier', tarball], {
    encoding: 'utf8',
  });
  const listed = (publish.stdout + publish.stderr)
    .split('\n')
    .map((line) => line.match(/^npm notice [\d.]+k?B (\S+)$/)?.[1])
    .filter(Boolean);
  const targets = [
    manifest.exports?.['.']?.default,
    manifest.exports?.['.']?.types,
    ...Object.values(manifest.bin ?? {}),
  ]
    .filter(Boolean)
    .map((path) => path.replace(/^\.\//, ''));
  check(
    publish.status === 0 &&
      listed.length > 0 &&
      listed.every((path) => allowed(path, manifest) || targets.includes(path)) &&
      ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json', ...targets].every((path) =>
        listed.includes(path),
      ),
    `npm publish --dry-run ${pkg.name}@${manifest.version}: ${listed.join(', ')}`,
  );
  if (publish.status !== 0) console.log(publish.stdout + publish.stderr);
}

if (process.argv.includes('--keep')) console.log(`kept ${copy}`);
else rmSync(copy, { recursive: true, force: true });
console.log(
  failures.length === 0 ? 'release check passed' : `release check FAILED: ${failures.length} check(s)`,
);
process.exitCode = failures.length === 0 ? 0 : 1;
