// `npm start` in production without RESEND_API_KEY says at start, at warn level, that no mail is being sent.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAIL_OFF_WARNING } from '../src/mail/mail-off-warning.js';
import { tempDir } from './helpers/db.js';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Starts the real entry and resolves with everything it printed up to its listen line. */
function startupOutput(env: Record<string, string>): Promise<string> {
  const dir = tempDir();
  dirs.push(dir);
  const base: Record<string, string | undefined> = { ...process.env };
  delete base.RESEND_API_KEY;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/entry/node.ts'], {
    env: { ...base, PORT: '0', DATABASE_PATH: join(dir, 'data', 'recap.db'), LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no listen line in time:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d;
      // The warning comes right after the listen banner; give it the same tick to arrive.
      if (/running on http:\/\/127\.0\.0\.1:\d+/.test(out))
        setTimeout(() => {
          clearTimeout(t);
          resolve(out);
        }, 300);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
  });
}

function warnLines(out: string): string[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: string; msg: string })
    .filter((l) => l.level === 'warn')
    .map((l) => l.msg);
}

describe('npm start: mail not being sent', () => {
  it('warns at start in production without RESEND_API_KEY', async () => {
    const out = await startupOutput({ NODE_ENV: 'production' });
    expect(warnLines(out).some((m) => m.includes(MAIL_OFF_WARNING))).toBe(true);
  });

  it('does not warn when RESEND_API_KEY is set', async () => {
    const out = await startupOutput({ NODE_ENV: 'production', RESEND_API_KEY: 're_test_key_not_used', RESEND_BASE_URL: 'http://127.0.0.1:9' });
    expect(out).toMatch(/running on/);
    expect(out).not.toContain(MAIL_OFF_WARNING);
  });
});
