// Smoke tests for `npm run recap`: every command runs as a real child process against a real SQLite file.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../src/cli/commands.js';
import { envSchema, testConfig } from '../src/config.js';
import { completeSignIn } from '../src/core/editors/editor-auth.js';
import { buildDraft } from '../src/core/issues/build-draft.js';
import { fixedClock, type Deps } from '../src/core/deps.js';
import type { EventInput } from '../src/core/events/event.js';
import { ingestEvents } from '../src/core/events/ingest-events.js';
import { sha256Hex } from '../src/core/tokens.js';
import { startSending } from '../src/core/issues/issue-lifecycle.js';
import { isoWeekOf, weekSlug } from '../src/core/issues/iso-week.js';
import { migrateSqlite, readMigrations } from '../src/db/sqlite/migrate.js';
import { openSqlite } from '../src/db/sqlite/open-sqlite.js';
import { createMemoryLogger } from '../src/log.js';
import { createDevMailboxMailer } from '../src/mail/dev-mailbox.js';
import { startFakeResend, type FakeResend } from './fake-resend/server.js';
import { eventInput } from './factories.js';
import { tempDir } from './helpers/db.js';
import { seedSubscribers } from './helpers/seed.js';

const WEEK = '2026-W48';
const ISSUE = '2026-w48';
const APP_SECRET = 'cli-test-secret-0123456789abcdef';

// ---------- running the CLI ----------

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node --import tsx src/cli/main.ts …` as `npm run recap` does. The child sees none of this process's
 * app variables (a developer's RESEND_API_KEY must never make a test send real mail), only what a test sets.
 */
function recap(args: string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<CliRun> {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(envSchema.shape)) delete base[key];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { ...base, NODE_ENV: 'test', APP_SECRET, DEMO_DATA: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`recap ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The run's own words, for assertion messages: a failing exit code shows what the CLI said. */
const said = (r: CliRun) => `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`;

// ---------- one migrated database, copied per test ----------

let root: string;
let template: string;
const dirs: string[] = [];

beforeAll(() => {
  root = tempDir('recap-cli-');
  template = join(root, 'template.db');
  // better-sqlite3 directly: Kysely's destroy() closes nothing when no Kysely query ever ran on the handle
  const db = new BetterSqlite3(template);
  db.pragma('journal_mode = WAL');
  migrateSqlite(db);
  db.close(); // the last close checkpoints the WAL into the file, so the one file is the whole database
  if (existsSync(`${template}-wal`)) throw new Error('the template database kept a WAL file: copies would miss its tables');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh, migrated database file of its own (and a folder for the test's other files). */
function freshDb(): { dir: string; path: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(root, 'case-'));
  dirs.push(dir);
  const path = join(dir, 'recap.db');
  copyFileSync(template, path);
  return { dir, path, env: { DATABASE_PATH: path } };
}

function query<T>(path: string, sql: string, ...params: unknown[]): T[] {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

function writable<T>(path: string, fn: (db: BetterSqlite3.Database) => T): T {
  const db = new BetterSqlite3(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Five stories of 2026-W48, each on its own topic and wording, so selection keeps all five. */
function weekStories(): EventInput[] {
  const stories: [string, string][] = [
    ['Open-weights model tops the reasoning leaderboard', 'models'],
    ['Chip export rules tightened for datacenter accelerators', 'compute'],
    ['Regulators publish a draft code for frontier labs', 'policy'],
    ['Seed round funds a warehouse robotics startup', 'funding'],
    ['Terminal assistant writes shell scripts from comments', 'tools'],
  ];
  return stories.map(([title, topic], i) =>
    eventInput({
      externalId: `cli-story-${i}`,
      title,
      url: `https://news.example.com/cli/${i}`,
      publishedAt: `2026-11-2${4 + (i % 3)}T10:00:00.000Z`,
      topics: [topic],
      views: 1000 - i * 100,
    }),
  );
}

/** Opens the copied file in this process with the real core (no CLI) to prepare what a command needs. */
type TestClock = ReturnType<typeof fixedClock>;

async function withDeps<T>(path: string, fn: (deps: Deps & { clock: TestClock }) => Promise<T>): Promise<T> {
  const handle = openSqlite(path);
  const clock = fixedClock('2026-11-26T12:00:00.000Z');
  const deps = {
    db: handle.db,
    clock,
    config: testConfig({ databasePath: path }),
    log: createMemoryLogger(),
    mailer: createDevMailboxMailer(handle.db, clock),
  } satisfies Deps;
  try {
    return await fn(deps);
  } finally {
    await handle.close();
  }
}

const seedWeekDraft = (path: string) =>
  withDeps(path, async (deps) => {
    await ingestEvents(deps, { events: weekStories() });
    await buildDraft(deps, WEEK);
  });

// ---------- every command listed is smoke-tested here (or deliberately elsewhere) ----------

const smoked = new Set<string>();
/** A describe block per command; registering the name lets the last test catch a command nobody smokes. */
function command(name: string, body: () => void) {
  smoked.add(name);
  describe(`recap ${name}`, body);
}

const NOT_SMOKED_HERE: Record<string, string> = {
  bench: 'runs the benchmarks for minutes; only its listing and --help are checked',
  backup: 'smoked as a real process in test/backup-cli.test.ts',
  restore: 'smoked as a real process in test/backup-cli.test.ts',
};

/** Command names as `--help` lists them (the first word of each line under "Commands:"). */
function listedCommands(help: string): string[] {
  const section = help.split(/^Commands:$/m)[1] ?? '';
  return section
    .split('\n')
    .map((line) => /^ {2}(\S+)/.exec(line)?.[1])
    .filter((n): n is string => Boolean(n));
}

describe('recap --help and unknown commands', () => {
  it('--help lists every command, bench included, and exits 0', async () => {
    const r = await recap(['--help']);
    expect(r.code, said(r)).toBe(0);
    const listed = listedCommands(r.stdout);
    expect(listed).toEqual(commands.map((c) => c.name));
    expect(listed).toEqual(expect.arrayContaining(['migrate', 'import-events', 'build', 'preview', 'schedule', 'send', 'mailbox', 'bench']));
    // `outbox` was the dev mailbox command's name until issue 14: it is listed as an alias, not as a command of its own.
    expect(r.stdout).toMatch(/^ {2}mailbox .*\(alias: outbox\)$/m);
    for (const c of commands) expect(r.stdout).toContain(c.summary);
  });

  it('every command has a smoke test in this file or a stated reason why not', () => {
    const uncovered = commands.map((c) => c.name).filter((n) => !smoked.has(n) && !(n in NOT_SMOKED_HERE));
    expect(uncovered, 'commands without a smoke test: add a `command(name, …)` block').toEqual([]);
  });

  it('`bench --help` prints its usage without running the benchmarks or opening a database', async () => {
    const dir = mkdtempSync(join(root, 'case-'));
    dirs.push(dir);
    const path = join(dir, 'untouched.db');
    const r = await recap(['bench', '--help'], { DATABASE_PATH: path }, 15_000);
    expect(r.code, said(r)).toBe(0);
    expect(r.stdout).toContain('Usage: npm run recap -- bench');
    expect(existsSync(path)).toBe(false);
  });

  it('an unknown command exits non-zero and says so in its first line', async () => {
    const r = await recap(['frobnicate']);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr.split('\n')[0]).toBe('Unknown command "frobnicate".');
    expect(r.stdout).toBe('');
  });
});

command('migrate', () => {
  it('applies every migration to a new database file and records each in d1_migrations', async () => {
    const dir = mkdtempSync(join(root, 'case-'));
    dirs.push(dir);
    const path = join(dir, 'nested', 'new.db');
    const names = readMigrations().map((m) => m.name);
    const r = await recap(['migrate'], { DATABASE_PATH: path });
    expect(r.code, said(r)).toBe(0);
    expect(r.stdout).toContain(`Applied: ${names.join(', ')}`);
    expect(query<{ name: string }>(path, 'SELECT name FROM d1_migrations ORDER BY id').map((m) => m.name)).toEqual(names);
    expect(query(path, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'subscribers'")).toHaveLength(1);
  });

  it('says the database is up to date when nothing is pending, and applies nothing twice', async () => {
    const { path, env } = freshDb();
    const r = await recap(['migrate'], env);
    expect(r.code, said(r)).toBe(0);
    expect(r.stdout).toContain('Database is up to date.');
    expect(query(path, 'SELECT name FROM d1_migrations')).toHaveLength(readMigrations().length);
  });
});

command('import-events', () => {
  it('stores the valid events, lists the rejected item by index, and upserts on a second run', async () => {
    const { dir, path, env } = freshDb();
    const file = join(dir, 'events.json');
    const stories = weekStories();
    writeFileSync(file, JSON.stringify({ events: [...stories.slice(0, 3), { externalId: 'broken', title: '' }, stories[3]] }));
    const r = await recap(['import-events', file], env);
    expect(r.code, said(r)).toBe(0);
    expect(r.stdout).toContain('Stored 4 event(s); 1 rejected.');
    expect(r.stderr).toMatch(/item 3: .*title/);
    const ids = () => query<{ external_id: string }>(path, 'SELECT external_id FROM events ORDER BY external_id').map((e) => e.external_id);
    expect(ids()).toEqual(['cli-story-0', 'cli-story-1', 'cli-story-2', 'cli-story-3']);

    // a bare array is accepted too; the same externalId updates its row instead of adding one
    writeFileSync(file, JSON.stringify([{ ...stories[0], title: 'Open-weights model tops the leaderboard, again' }]));
    const again = await recap(['import-events', file], env);
    expect(again.code, said(again)).toBe(0);
    expect(ids()).toHaveLength(4);
    expect(query(path, "SELECT title FROM events WHERE external_id = 'cli-story-0'")).toEqual([{ title: 'Open-weights model tops the leaderboard, again' }]);
  });

  it('exits 1 with the reason when the file cannot be read, and stores nothing', async () => {
    const { dir, path, env } = freshDb();
    const r = await recap(['import-events', join(dir, 'missing.json')], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Cannot read .*missing\.json/);
    expect(query(path, 'SELECT id FROM events')).toEqual([]);
  });
});

command('build', () => {
  it('builds the draft of the given week from its events', async () => {
    const { path, env } = freshDb();
    await withDeps(path, (deps) => ingestEvents(deps, { events: weekStories() }));
    const r = await recap(['build', '--week', WEEK], env);
    expect(r.code, said(r)).toBe(0);
    expect(r.stdout).toContain(`Built ${ISSUE} (draft)`);
    expect(r.stdout).toContain('Open-weights model tops the reasoning leaderboard');
    const [issue] = query<{ id: string; week: string; status: string; default_subject: string }>(path, 'SELECT id, week, status, default_subject FROM issues');
    expect(issue).toMatchObject({ id: ISSUE, week: WEEK, status: 'draft' });
    expect(r.stdout).toContain(issue.default_subject);
    expect(query(path, 'SELECT event_id FROM issue_items WHERE issue_id = ?', ISSUE)).toHaveLength(5);
  });

  it('builds the current week when no --week is given', async () => {
    const { path, env } = freshDb();
    const before = isoWeekOf(new Date(), 'UTC');
    const r = await recap(['build'], env);
    const after = isoWeekOf(new Date(), 'UTC'); // the run may straddle a week boundary
    expect(r.code, said(r)).toBe(0);
    const [issue] = query<{ week: string; status: string }>(path, 'SELECT week, status FROM issues');
    expect([before, after]).toContain(issue.week);
    expect(issue.status).toBe('draft');
    expect(r.stdout).toContain(`Built ${weekSlug(issue.week)} (draft)`);
  });
});

command('preview', () => {
  it('writes the HTML and text parts with the subject in them and passes the pre-send checks', async () => {
    const { dir, path, env } = freshDb();
    await seedWeekDraft(path);
    const [{ default_subject: subject }] = query<{ default_subject: string }>(path, 'SELECT default_subject FROM issues WHERE id = ?', ISSUE);
    const out = join(dir, 'preview.html');
    const r = await recap(['preview', ISSUE, '--out', out], env);
    expect(r.code, said(r)).toBe(0);
    expect(r.stdout).toContain(`Subject:   ${subject}`);
    expect(r.stdout).toContain('Pre-send checks:');
    expect(r.stdout).not.toContain('✗');
    const html = readFileSync(out, 'utf8');
    const text = readFileSync(join(dir, 'preview.txt'), 'utf8');
    expect(html).toContain(`<title>${subject}</title>`);
    expect(html).not.toContain('mj-outlook-group-fix'); // React Email is the default engine
    expect(text).toContain('Weekly AI Recap — Nov 23 – 29, 2026');
    expect(text).toContain('Open-weights model tops the reasoning leaderboard');
    expect(text).toMatch(/unsubscribe/i);
  });

  it('renders with MJML when asked', async () => {
    const { dir, path, env } = freshDb();
    await seedWeekDraft(path);
    const out = join(dir, 'mjml.html');
    const r = await recap(['preview', '--week', WEEK, '--engine', 'mjml', '--out', out], env);
    expect(r.code, said(r)).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('Open-weights model tops the reasoning leaderboard');
    expect(html).toContain('mj-outlook-group-fix'); // MJML's own markup: the engine flag was honoured
    expect(existsSync(join(dir, 'mjml.txt'))).toBe(true);
  });
});

command('schedule', () => {
  it('sets scheduled_at, and --cancel takes the issue back to a draft with no time', async () => {
    const { path, env } = freshDb();
    await seedWeekDraft(path);
    const at = new Date(Date.now() + 7 * 86_400_000);
    at.setUTCMilliseconds(0);
    const r = await recap(['schedule', ISSUE, at.toISOString()], env);
    expect(r.code, said(r)).toBe(0);
    expect(r.stdout).toContain(`${ISSUE}: scheduled for ${at.toISOString()}`);
    const row = () => query<{ status: string; scheduled_at: string | null }>(path, 'SELECT status, scheduled_at FROM issues WHERE id = ?', ISSUE)[0];
    expect(row()).toEqual({ status: 'scheduled', scheduled_at: at.toISOString() });

    const cancel = await recap(['schedule', WEEK, '--cancel'], env); // an ISO week names the issue too
    expect(cancel.code, said(cancel)).toBe(0);
    expect(cancel.stdout).toContain(`${ISSUE}: schedule canceled`);
    expect(row()).toEqual({ status: 'draft', scheduled_at: null });
  });
});

command('send', () => {
  /** Three confirmed readers, one who never confirmed and one who left: only the three may get the issue. */
  function seedReaders(path: string) {
    return writable(path, (db) => {
      const confirmed = seedSubscribers(db, 3, { domain: 'readers.example.com' });
      seedSubscribers(db, 1, { domain: 'pending.example.com', status: 'pending' });
      seedSubscribers(db, 1, { domain: 'gone.example.com', status: 'unsubscribed' });
      return confirmed;
    });
  }

  const recapDeliveries = (path: string) =>
    query<{ to_email: string; status: string }>(path, "SELECT to_email, status FROM deliveries WHERE kind = 'recap' ORDER BY to_email");

  it('delivers the issue once to each confirmed reader through the dev mailbox when no RESEND_API_KEY is set', async () => {
    const { path, env } = freshDb();
    await seedWeekDraft(path);
    const confirmed = seedReaders(path);
    const r = await recap(['send', ISSUE], env);
    expect(r.code, said(r)).toBe(0);
    expect(r.stdout).toContain(`${ISSUE}: sent. 3 sent, 0 failed, 0 suppressed of 3.`);
    expect(query(path, 'SELECT status FROM issues WHERE id = ?', ISSUE)).toEqual([{ status: 'sent' }]);
    expect(recapDeliveries(path)).toEqual(confirmed.sort().map((to_email) => ({ to_email, status: 'sent' })));
    const mailbox = query<{ to_addr: string; subject: string }>(path, 'SELECT to_addr, subject FROM dev_outbox ORDER BY to_addr');
    expect(mailbox.map((m) => m.to_addr)).toEqual(confirmed.sort());
    expect(new Set(mailbox.map((m) => m.subject)).size).toBe(1);

    // a second `send` of a sent issue is refused and mails nobody again
    const again = await recap(['send', ISSUE], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`issue ${ISSUE} is sent`);
    expect(query(path, 'SELECT id FROM dev_outbox')).toHaveLength(3);
  });

  describe('with RESEND_API_KEY, through the real resend SDK', () => {
    let fake: FakeResend | undefined;
    afterEach(async () => {
      await fake?.close();
      fake = undefined;
    });

    it('hands each confirmed reader to Resend exactly once and records the provider ids', async () => {
      fake = await startFakeResend({ ratePerSecond: false });
      const { path, env } = freshDb();
      await seedWeekDraft(path);
      const confirmed = seedReaders(path);
      const r = await recap(['send', WEEK], { ...env, RESEND_API_KEY: 're_cli_smoke', RESEND_BASE_URL: fake.url, RESEND_RATE_PER_SEC: '100' });
      expect(r.code, said(r)).toBe(0);
      expect(r.stdout).toContain(`${ISSUE}: sent. 3 sent, 0 failed, 0 suppressed of 3.`);
      expect(Object.fromEntries(fake.state.countByRecipient())).toEqual(Object.fromEntries(confirmed.map((e) => [e, 1])));
      expect(fake.state.emails.every((e) => e.apiKey === 're_cli_smoke' && e.idempotencyKey)).toBe(true);
      const rows = query<{ to_email: string; status: string; resend_id: string | null }>(
        path,
        "SELECT to_email, status, resend_id FROM deliveries WHERE kind = 'recap'",
      );
      expect(rows).toHaveLength(3);
      for (const row of rows) {
        expect(row.status).toBe('sent');
        expect(fake.state.emailById(row.resend_id!)?.to.join()).toContain(row.to_email);
      }
      expect(query(path, 'SELECT id FROM dev_outbox')).toEqual([]);
    });
  });
});

command('resume', () => {
  it('releases an issue held after a restore, so the sender picks it up again', async () => {
    const { path, env } = freshDb();
    await seedWeekDraft(path);
    await withDeps(path, (deps) => startSending(deps, ISSUE));
    writable(path, (db) => db.prepare("UPDATE issues SET paused_reason = 'held: restored from a backup' WHERE id = ?").run(ISSUE));
    const r = await recap(['resume', ISSUE], env);
    expect(r.code, said(r)).toBe(0);
    expect(r.stdout).toContain(`Issue ${ISSUE} resumed (sending)`);
    expect(query(path, 'SELECT status, paused_reason, resume_after FROM issues WHERE id = ?', ISSUE)).toEqual([
      { status: 'sending', paused_reason: null, resume_after: null },
    ]);
    expect(query(path, "SELECT actor, target_id FROM audit_log WHERE action = 'issue.resumed'")).toEqual([{ actor: 'cli', target_id: ISSUE }]);
  });
});

command('mailbox', () => {
  /** Two mails put in the dev mailbox by the real dev mailbox mailer, as the server would: Ada's, then a minute later Bob's. */
  const fillMailbox = (path: string) =>
    withDeps(path, async (deps) => {
      const ids: string[] = [];
      for (const [to, subject] of [
        ['ada@example.com', 'Confirm your subscription'],
        ['bob@example.com', 'Welcome aboard'],
      ]) {
        const mail = { from: 'Weekly AI Recap <recap@localhost.test>', to: [to], subject, html: `<p>${subject}</p>`, text: `${subject}\n\nplain body` };
        const r = await deps.mailer.sendBatch([mail], { idempotencyKey: `cli-mailbox-${to}` });
        if (!r.ok) throw new Error(r.message);
        ids.push(r.ids[0]!);
        deps.clock.advance(60_000);
      }
      return ids;
    });

  it('lists the mails with recipient and subject, newest first, and --show prints one', async () => {
    const { path, env } = freshDb();
    const [adaId] = await fillMailbox(path);
    const all = await recap(['mailbox'], env);
    expect(all.code, said(all)).toBe(0);
    const lines = all.stdout.split('\n').filter((l) => l.includes('@example.com'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/bob@example\.com\s+Welcome aboard$/);
    expect(lines[1]).toMatch(/ada@example\.com\s+Confirm your subscription$/);

    const show = await recap(['mailbox', '--show', adaId], env);
    expect(show.code, said(show)).toBe(0);
    expect(show.stdout).toContain('To: ada@example.com\nSubject: Confirm your subscription');
    expect(show.stdout).toContain('plain body');
  });

  it('still runs under its old name `outbox`, and --help names the alias', async () => {
    const { path, env } = freshDb();
    const [adaId] = await fillMailbox(path);
    const old = await recap(['outbox'], env);
    expect(old.code, said(old)).toBe(0);
    expect(old.stdout.split('\n').filter((l) => l.includes('@example.com'))).toHaveLength(2);
    expect(old.stdout).toContain('/editor/mailbox');
    const show = await recap(['outbox', '--show', adaId], env);
    expect(show.code, said(show)).toBe(0);
    expect(show.stdout).toContain('To: ada@example.com\nSubject: Confirm your subscription');
    const help = await recap(['outbox', '--help'], env);
    expect(help.code, said(help)).toBe(0);
    expect(help.stdout).toContain('Usage: npm run recap -- mailbox');
    expect(help.stdout).toContain('Alias: outbox');
  });
});

command('editors', () => {
  type EditorRow = { email: string; role: string; disabled_at: string | null };
  const editors = (path: string) => query<EditorRow>(path, 'SELECT email, role, disabled_at FROM editors ORDER BY email');
  const audit = (path: string) =>
    query<{ actor: string; action: string; target_id: string }>(
      path,
      "SELECT actor, action, target_id FROM audit_log WHERE action LIKE 'editor.%' ORDER BY id",
    );

  it('adds an editor (normalised, an editor unless --role admin), changes the role, lists them, and audits each as cli', async () => {
    const { path, env } = freshDb();
    const empty = await recap(['editors', 'list'], env);
    expect(empty.code, said(empty)).toBe(0);
    expect(empty.stdout).toContain('No editor accounts.');

    const add = await recap(['editors', 'add', ' Ann@Example.COM '], env);
    expect(add.code, said(add)).toBe(0);
    expect(add.stdout).toContain('Added ann@example.com (editor).');
    const admin = await recap(['editors', 'add', 'bob@example.com', '--role', 'admin'], env);
    expect(admin.code, said(admin)).toBe(0);
    expect(editors(path)).toEqual([
      { email: 'ann@example.com', role: 'editor', disabled_at: null },
      { email: 'bob@example.com', role: 'admin', disabled_at: null },
    ]);
    // the shell may lower an admin (the workspace cannot); without --role an existing account keeps its role
    expect((await recap(['editors', 'add', 'bob@example.com', '--role', 'editor'], env)).code).toBe(0);
    expect((await recap(['editors', 'add', 'ann@example.com'], env)).code).toBe(0);
    expect(editors(path).map((e) => e.role)).toEqual(['editor', 'editor']);

    const list = await recap(['editors', 'list'], env);
    expect(list.code, said(list)).toBe(0);
    expect(list.stdout).toMatch(/^ann@example\.com\s+editor\s+active\s+—$/m);
    expect(list.stdout).toMatch(/^bob@example\.com\s+editor\s+active\s+—$/m);
    expect(audit(path).every((a) => a.actor === 'cli' && a.action === 'editor.added')).toBe(true);
    expect(audit(path)).toHaveLength(4);
  });

  it('refuses a bad address, a bad role and an unknown action with one line, changing nothing', async () => {
    const { path, env } = freshDb();
    for (const args of [
      ['editors', 'add', 'not-an-address'],
      ['editors', 'add', 'c@example.com', '--role', 'boss'],
      ['editors', 'promote', 'c@example.com'],
      ['editors'],
    ]) {
      const r = await recap(args, env);
      expect(r.code, said(r)).toBe(1);
      expect(r.stderr.trim().split('\n'), said(r)).toHaveLength(1);
    }
    expect(editors(path)).toEqual([]);
  });

  it('remove disables the account and ends its sessions at once; add brings it back', async () => {
    const { path, env } = freshDb();
    expect((await recap(['editors', 'add', 'dee@example.com', '--role', 'admin'], env)).code).toBe(0);
    writable(path, (db) => {
      const { id } = db.prepare("SELECT id FROM editors WHERE email = 'dee@example.com'").get() as { id: number };
      const now = new Date().toISOString();
      db.prepare('INSERT INTO sessions (id_hash, editor_id, csrf_token, user_agent, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, NULL, ?, ?, ?)').run(
        'h'.repeat(64),
        id,
        'csrf',
        now,
        '2999-01-01T00:00:00.000Z',
        now,
      );
    });
    const r = await recap(['editors', 'remove', 'DEE@example.com'], env);
    expect(r.code, said(r)).toBe(0);
    expect(r.stdout).toContain('Removed dee@example.com');
    expect(r.stdout).toContain('No active admin is left');
    expect(editors(path)[0].disabled_at).not.toBeNull();
    expect(query(path, 'SELECT id_hash FROM sessions')).toEqual([]);
    expect((await recap(['editors', 'list'], env)).stdout).toMatch(/^dee@example\.com\s+admin\s+removed/m);
    expect(audit(path).at(-1)).toEqual({ actor: 'cli', action: 'editor.disabled', target_id: 'dee@example.com' });

    const unknown = await recap(['editors', 'remove', 'nobody@example.com'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no editor nobody@example.com');

    const back = await recap(['editors', 'add', 'dee@example.com'], env);
    expect(back.code, said(back)).toBe(0);
    expect(back.stdout).toContain('Re-enabled dee@example.com (admin)');
    expect(editors(path)[0].disabled_at).toBeNull();
  });
});

command('signin-link', () => {
  it('prints a single-use link on PUBLIC_URL that signs the editor in, stores only its hash and audits the issue', async () => {
    const { path, env } = freshDb();
    expect((await recap(['editors', 'add', 'eve@example.com'], env)).code).toBe(0);
    const r = await recap(['signin-link', 'Eve@Example.com'], { ...env, PUBLIC_URL: 'https://recap.example.net' });
    expect(r.code, said(r)).toBe(0);
    expect(r.stdout).toMatch(/^Sign-in link for eve@example\.com \(works once, until \d\d:\d\d UTC\):$/m);
    const url = new URL(/^https:\/\/recap\.example\.net\/editor\/signin\/verify\?token=\S+$/m.exec(r.stdout)![0]);
    const token = url.searchParams.get('token')!;
    const rows = query<{ token_hash: string; created_at: string; expires_at: string }>(path, 'SELECT token_hash, created_at, expires_at FROM login_tokens');
    expect(rows).toEqual([expect.objectContaining({ token_hash: await sha256Hex(token) })]);
    expect(Date.parse(rows[0].expires_at) - Date.parse(rows[0].created_at)).toBe(15 * 60_000);
    expect(query(path, "SELECT actor, target_id FROM audit_log WHERE action = 'editor.signin_link_issued'")).toEqual([
      { actor: 'cli', target_id: 'eve@example.com' },
    ]);

    await withDeps(path, async (deps) => {
      deps.clock.set(new Date());
      const first = await completeSignIn(deps, token);
      expect(first.ok && first.session.editor.email).toBe('eve@example.com');
      expect((await completeSignIn(deps, token)).ok).toBe(false); // single use
    });
  });

  it('exits 1 for an address that is not an active editor, issuing nothing', async () => {
    const { path, env } = freshDb();
    const r = await recap(['signin-link', 'stranger@example.com'], env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('no active editor stranger@example.com (add one: npm run recap -- editors add stranger@example.com --role admin)');
    expect(r.stdout).toBe('');
    expect(query(path, 'SELECT token_hash FROM login_tokens')).toEqual([]);
  });
});
