// Generates APP_SECRET once into the data folder when it is not configured, so a local start just works.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function loadOrCreateAppSecret(databasePath: string): { secret: string; created: boolean; path: string } {
  const dir = databasePath === ':memory:' ? './data' : dirname(databasePath);
  const path = join(dir, 'app-secret');
  if (existsSync(path)) {
    const secret = readFileSync(path, 'utf8').trim();
    if (secret.length >= 16) return { secret, created: false, path };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 }); // the database goes here too (src/db/sqlite/open-sqlite.ts)
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return { secret, created: true, path };
}
