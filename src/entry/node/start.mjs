// `npm start`: runs the compiled server (build.mjs), compiling it first when the build is missing or any input changed.
// In the same process, so the node flags of the start script (source maps, heap) apply to the server itself and the
// check costs a stat per source file, not a second Node start.
import { pathToFileURL } from 'node:url';
import { buildErrorLine, buildServer, buildState, outDirArg } from './build.mjs';

const outDir = outDirArg(process.argv.slice(2));
let state = buildState({ outDir });
if (!state.fresh) {
  process.stdout.write(`Building the server (${state.reason})…\n`);
  try {
    const built = await buildServer({ outDir });
    process.stdout.write(`Built in ${built.ms} ms\n`);
    state = built;
  } catch (e) {
    console.error(buildErrorLine(e));
    process.exit(1);
  }
}
await import(pathToFileURL(state.entry).href);
