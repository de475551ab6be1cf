import { packageBuild } from '../../tsup.package.ts';

export default packageBuild({
  entry: ['src/index.ts', 'src/plugin-kit.ts'],
  // The redaction scanners' work counter (`countWork:` statements in redact.ts) is for tests only.
  esbuildOptions(options) {
    options.dropLabels = ['countWork'];
  },
});
