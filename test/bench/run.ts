// `npm run bench`: runs every test/bench/*.bench.ts (or those named on the command line) and prints a table.
// Each benchmark reports ratios against a baseline measured in the same run; absolute times are context only.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  target?: string;
  pass?: boolean;
  note?: string;
}

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const rows: BenchResult[] = [];
for (const f of files) {
  console.log(`\n▶ ${f}`);
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { default: () => Promise<BenchResult[]> };
  const results = await mod.default();
  for (const r of results) {
    rows.push(r);
    console.log(
      `  ${r.name}: ${fmt(r.value)} ${r.unit}${r.target ? ` (target ${r.target}: ${r.pass ? 'met' : 'MISSED'})` : ''}${r.note ? ` — ${r.note}` : ''}`,
    );
  }
}

console.log('\n| benchmark | result | target | met |\n|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${fmt(r.value)} ${r.unit} | ${r.target ?? ''} | ${r.target ? (r.pass ? 'yes' : 'no') : ''} |`);

function fmt(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(3);
}
