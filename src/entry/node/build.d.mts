// Types for build.mjs (plain JavaScript: it runs before anything is compiled), for the tests and the bench.

export const PROJECT_ROOT: string;
export const DEFAULT_OUT_DIR: string;

export interface BuildPlace {
  /** The project whose src/, emails/ and migrations/ are compiled; default: the checkout build.mjs lives in. */
  root?: string;
  /** The build folder, inside the project; default: dist/. */
  outDir?: string;
}

export type BuildState = { fresh: true; id: string; entry: string } | { fresh: false; reason: string };

export interface Built {
  id: string;
  /** The compiled src/entry/node.js of this build. */
  entry: string;
  ms: number;
  files: number;
}

export function listInputs(root?: string): string[];
export function buildState(place?: BuildPlace): BuildState;
export function buildServer(place?: BuildPlace): Promise<Built>;
export function outDirArg(argv: string[]): string;
export function buildErrorLine(e: unknown): string;
