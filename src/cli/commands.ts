// The CLI's commands; each opens the runtime, calls one core function and prints a result.
import { readFileSync } from 'node:fs';
import { ingestEvents } from '../core/events/ingest-events.js';
import { parse } from './args.js';
import { withRuntime, type Command } from './runtime.js';
import { buildCommand, previewCommand, scheduleCommand, sendCommand } from './issue-commands.js';
import { mailboxCommand } from './mailbox-command.js';
import { backupCommand, restoreCommand, resumeCommand } from './backup-commands.js';
import { editorsCommand, signinLinkCommand } from './editor-commands.js';

const migrate: Command = {
  name: 'migrate',
  usage: 'migrate',
  summary: 'apply pending migrations to DATABASE_PATH',
  help: 'Applies migrations/NNNN_*.sql that have not run yet (the same files `wrangler d1 migrations apply` reads).',
  run: () =>
    withRuntime(async (rt) => {
      console.log(rt.appliedMigrations.length ? `Applied: ${rt.appliedMigrations.join(', ')}` : 'Database is up to date.');
    }),
};

const importEvents: Command = {
  name: 'import-events',
  usage: 'import-events <file.json>',
  summary: 'upsert events from a JSON file ({"events":[…]} or an array)',
  help: 'Reads a JSON file of events (the POST /api/events shape, or a bare array), validates each item and upserts the\nvalid ones by externalId, 500 at a time. Invalid items are listed with their index and reason.',
  run: async (args) => {
    const { positionals } = parse(args, {});
    const file = positionals[0];
    if (!file) throw new Error('import-events needs a file: npm run recap -- import-events events.json');
    let body: unknown;
    try {
      body = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`Cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const list = Array.isArray(body) ? body : (body as { events?: unknown[] })?.events;
    if (!Array.isArray(list)) throw new Error(`${file}: expected {"events": [...]} or an array`);
    return withRuntime(async (rt) => {
      let stored = 0;
      let failed = 0;
      for (let i = 0; i < list.length; i += 500) {
        const r = await ingestEvents(rt.deps, list.slice(i, i + 500));
        stored += r.stored;
        failed += r.errors.length;
        for (const e of r.errors) console.error(`  item ${i + e.index}: ${e.message}`);
      }
      console.log(`Stored ${stored} event(s); ${failed} rejected.`);
      return failed > 0 && stored === 0 ? 1 : 0;
    });
  },
};

const bench: Command = {
  name: 'bench',
  usage: 'bench [name…]',
  summary: 'run the benchmarks (same as npm run bench)',
  run: async (args) => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/bench/run.ts', ...args], {
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    return r.status ?? 1;
  },
};

export const commands: Command[] = [
  migrate,
  importEvents,
  buildCommand,
  previewCommand,
  scheduleCommand,
  sendCommand,
  mailboxCommand,
  backupCommand,
  restoreCommand,
  resumeCommand,
  editorsCommand,
  signinLinkCommand,
  bench,
];
