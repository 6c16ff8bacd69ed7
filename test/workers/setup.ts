// Before each Workers test: a wiped local D1 with every migration applied (this pool version shares storage
// between tests), an empty fake Resend, and the house rule that an unexpected console.error fails the test.
import { applyD1Migrations, env, reset } from 'cloudflare:test';
import { afterEach, beforeEach, expect } from 'vitest';

let errors: unknown[][] = [];
const original = console.error;

beforeEach(async () => {
  await reset();
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
  const r = await fetch(`${env.RESEND_BASE_URL}/__fake/reset`, { method: 'POST' });
  expect(r.status).toBe(200);
  errors = [];
  console.error = (...args: unknown[]) => {
    errors.push(args);
    original(...args);
  };
});

afterEach(() => {
  console.error = original;
  expect(errors, 'unexpected console.error during test').toEqual([]);
});
