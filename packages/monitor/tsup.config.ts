import { packageBuild } from '../../tsup.package.ts';

// bin.ts starts with `#!/usr/bin/env node`: tsup keeps the shebang and makes dist/bin.js executable.
export default packageBuild({ entry: ['src/index.ts', 'src/bin.ts'] });
