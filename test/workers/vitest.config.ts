// Vitest for the Workers suite: tests run inside workerd (@cloudflare/vitest-pool-workers) with wrangler.toml's
// bindings, a local D1 reset and re-migrated before each test, and the real resend SDK aimed at a local fake.
import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Offline, like CI: no metrics, no account lookups, no banner.
for (const [k, v] of Object.entries({ WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true' }))
  process.env[k] ??= v;

export default defineConfig(async () => {
  const migrations = await readD1Migrations(`${root}/migrations`);
  return {
    root,
    plugins: [
      cloudflareTest(({ inject }) => ({
        main: './src/entry/worker.ts',
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            NODE_ENV: 'test',
            LOG_LEVEL: 'warn',
            PUBLIC_URL: 'http://recap.test',
            APP_SECRET: 'workers-test-secret-0123456789abcdef',
            EDITOR_API_TOKEN: 'workers-test-editor-token-0123456789',
            RESEND_API_KEY: 're_workers_test',
            RESEND_BASE_URL: inject('fakeResendUrl'),
            RESEND_RATE_PER_SEC: '1000',
            SIGNUP_RATE_PER_MIN: '0',
          },
        },
      })),
    ],
    // Same alias as wrangler.toml: the MJML engine runs on mjml-browser inside workerd.
    resolve: { alias: { mjml: `${root}/src/entry/worker/mjml.ts` } },
    test: {
      include: ['test/workers/**/*.test.ts'],
      // mjml-browser pulls in cheerio, whose ESM imports omit file extensions; pre-bundled, workerd can load it.
      deps: { optimizer: { ssr: { enabled: true, include: ['mjml-browser', 'cheerio'] } } },
      globalSetup: ['test/workers/global-setup.ts'],
      setupFiles: ['test/helpers/setup.ts', 'test/workers/setup.ts'],
      // One local D1 for all files (this pool version does not isolate storage): run files one after another.
      fileParallelism: false,
      // and in one runner: each file would otherwise pay the whole Worker's transform and startup again.
      isolate: false,
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  };
});
