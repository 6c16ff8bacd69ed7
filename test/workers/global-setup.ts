// Node side of the Workers suite: one fake Resend API on 127.0.0.1 for the whole run; workerd reaches it over loopback.
import type { TestProject } from 'vitest/node';
import { startFakeResend } from '../fake-resend/server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    fakeResendUrl: string;
  }
}

export default async function setup(project: TestProject) {
  // No rate limit at the fake: test files share it, and pacing is covered by the Node send tests.
  const fake = await startFakeResend({ ratePerSecond: false });
  project.provide('fakeResendUrl', fake.url);
  return () => fake.close();
}
