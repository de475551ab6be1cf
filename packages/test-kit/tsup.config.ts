import { packageBuild } from '../../tsup.package.ts';

// `useFakeTime` registers hooks with the vitest that runs the tests: the workspace's own copy, found from
// the repository root, never one bundled or installed beside the kit (a second copy's hooks would not run).
export default packageBuild({ entry: ['src/index.ts', 'src/clock.ts'], external: ['vitest'] });
