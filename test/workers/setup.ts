// Before each Workers test: a wiped local D1 with every migration applied (this pool version shares storage
// between tests) and an empty fake Resend. The console.error rule comes from test/helpers/setup.ts.
import { applyD1Migrations, env, reset } from 'cloudflare:test';
import { beforeEach, expect } from 'vitest';

beforeEach(async () => {
  await reset();
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
  const r = await fetch(`${env.RESEND_BASE_URL}/__fake/reset`, { method: 'POST' });
  expect(r.status).toBe(200);
});
