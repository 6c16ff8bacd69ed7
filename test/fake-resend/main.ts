// Runs the fake Resend API as its own process (crash tests kill the app, not the provider) and prints its URL.
// Usage: tsx test/fake-resend/main.ts [--port 0] [--rate 5|off] [--daily-quota N] [--monthly-quota N] [--reject a@x,b@y]
// The first stdout line is the base URL; control it over HTTP with /__fake/state, /__fake/faults, /__fake/config.
import { parseArgs } from 'node:util';
import { startFakeResend } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    rate: { type: 'string', default: '5' },
    'daily-quota': { type: 'string' },
    'monthly-quota': { type: 'string' },
    reject: { type: 'string' },
  },
});

const optionalInt = (v: string | undefined) => (v === undefined ? undefined : Number.parseInt(v, 10));

const fake = await startFakeResend({
  port: Number.parseInt(values.port, 10),
  ratePerSecond: values.rate === 'off' ? false : Number(values.rate),
  dailyQuota: optionalInt(values['daily-quota']),
  monthlyQuota: optionalInt(values['monthly-quota']),
  rejectRecipients: values.reject
    ? values.reject
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [],
});
process.stdout.write(`${fake.url}\n`);

const stop = () => {
  void fake.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
