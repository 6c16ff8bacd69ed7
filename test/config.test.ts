import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';

describe('config', () => {
  it('has defaults for a local start', () => {
    const r = parseConfig({}, 'generated-secret-0123456789');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.port).toBe(8787);
    expect(r.config.host).toBe('127.0.0.1');
    expect(r.config.databasePath).toBe('./data/recap.db');
    expect(r.config.publicUrl).toBe('http://localhost:8787');
    expect(r.config.tz).toBe('UTC');
    expect(r.secretMissing).toBe(true);
    expect(r.config.resendApiKey).toBeUndefined();
  });

  it('lists every bad variable at once', () => {
    const r = parseConfig({
      PORT: 'eighty',
      PUBLIC_URL: 'not a url',
      TZ_NEWSLETTER: 'Mars/Olympus_Mons',
      RESEND_WEBHOOK_SECRET: 'nope',
      SIGNUP_RATE_PER_MIN: '-1',
      TRUST_PROXY: 'maybe',
      EDITOR_EMAILS: 'ok@example.com, not-an-email',
      APP_SECRET: 'short',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.errors.join('\n');
    for (const v of ['PORT', 'PUBLIC_URL', 'TZ_NEWSLETTER', 'RESEND_WEBHOOK_SECRET', 'SIGNUP_RATE_PER_MIN', 'TRUST_PROXY', 'EDITOR_EMAILS', 'APP_SECRET']) {
      expect(text).toContain(v);
    }
    expect(text).toContain('not-an-email');
  });

  it('derives PUBLIC_URL from PORT and trims a trailing slash', () => {
    const a = parseConfig({ PORT: '9000' }, 'generated-secret-0123456789');
    const b = parseConfig({ PUBLIC_URL: 'https://recap.example.com/' }, 'generated-secret-0123456789');
    expect(a.ok && a.config.publicUrl).toBe('http://localhost:9000');
    expect(b.ok && b.config.publicUrl).toBe('https://recap.example.com');
  });

  it('parses the weekly send slot and durations', () => {
    const r = parseConfig({ SEND_AT: 'Tuesday 07:30', MAX_LATENESS: '90m', AUTO_SEND: 'true' }, 'generated-secret-0123456789');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.sendAt).toEqual({ isoWeekday: 2, hour: 7, minute: 30 });
    expect(r.config.maxLatenessMs).toBe(90 * 60_000);
    expect(r.config.autoSend).toBe(true);
  });
});
