// Confirmation, welcome, data-export and sign-in mails: the one link each exists in HTML and text, safely, in every mail.
import { describe, expect, it } from 'vitest';
import { testConfig } from '../src/config.js';
import { scanHtml } from '../src/mail/html-scan.js';
import type { SubscriberExport } from '../src/core/subscribers/personal-data.js';
import { renderConfirmEmail, renderExportEmail, renderSigninEmail, renderWelcomeEmail } from '../src/mail/transactional.js';

const config = testConfig({
  publicUrl: 'https://recap.example.com',
  mailFrom: 'Weekly AI Recap <recap@example.com>',
  postalAddress: '1 Example Street, Berlin',
});

function expectWellFormed(mail: { subject: string; html: string; text: string }) {
  expect(mail.subject.trim()).not.toBe('');
  expect(mail.html).toMatch(/<html[^>]*\blang="en"/);
  expect(mail.html).toMatch(/<meta name="color-scheme" content="light dark"/);
  expect(mail.html).not.toMatch(/<script/i);
  for (const t of mail.html.match(/<table\b[^>]*>/gi) ?? []) expect(t).toMatch(/role="presentation"/);
  for (const l of scanHtml(mail.html).links) expect(l.href).toMatch(/^https:\/\//);
  expect(mail.html).toContain('1 Example Street, Berlin');
  expect(mail.text).toContain('1 Example Street, Berlin');
  expect(mail.text).not.toMatch(/<[a-z]/i);
}

describe('transactional mails', () => {
  it('confirm: carries the confirm link in HTML and text and greets by (escaped) name', async () => {
    const confirmUrl = 'https://recap.example.com/confirm/abc.def?x=1&y=2';
    const anonymous = await renderConfirmEmail({ confirmUrl, config });
    expectWellFormed(anonymous);
    expect(anonymous.text).toContain('Hi there,');
    const mail = await renderConfirmEmail({ confirmUrl, name: '李雷 <b>&', config });
    expect(mail.subject).toBe('Confirm your subscription to Weekly AI Recap');
    expect(scanHtml(mail.html).links.map((l) => l.href)).toContain(confirmUrl);
    expect(mail.text).toContain(confirmUrl);
    expect(mail.html).toContain('Hi 李雷 &lt;b&gt;&amp;,');
    expect(mail.text).toContain('Hi 李雷 <b>&,'); // plain text needs no escaping
    expect(mail.html).not.toContain('<b>');
  });

  it('welcome: links the latest issue, preferences and unsubscribe', async () => {
    const urls = {
      latestIssueUrl: 'https://recap.example.com/archive/2026-w48',
      preferencesUrl: 'https://recap.example.com/preferences/t1',
      unsubscribeUrl: 'https://recap.example.com/unsubscribe/t1',
    };
    const mail = await renderWelcomeEmail({ ...urls, config });
    expectWellFormed(mail);
    const hrefs = scanHtml(mail.html).links.map((l) => l.href);
    for (const u of Object.values(urls)) {
      expect(hrefs).toContain(u);
      expect(mail.text).toContain(u);
    }
    const noIssue = await renderWelcomeEmail({ ...urls, latestIssueUrl: null, config });
    expect(noIssue.html).not.toContain('Read the latest issue');
    expect(noIssue.text).not.toContain('latest issue');
  });

  it('signin: carries the magic link and a warning for people who did not ask', async () => {
    const signinUrl = 'https://recap.example.com/editor/signin/tok';
    const mail = await renderSigninEmail({ signinUrl, config });
    expectWellFormed(mail);
    expect(scanHtml(mail.html).links.map((l) => l.href)).toContain(signinUrl);
    expect(mail.text).toContain(signinUrl);
    expect(mail.text).toContain('If you did not ask for this');
  });

  it('export: a readable summary, then the complete JSON in a <pre> block and in the text, escaped', async () => {
    const name = '</pre><script>alert(1)</script> & "Ada"';
    const data = {
      exportedAt: '2026-11-26T12:00:00.000Z',
      about: 'test',
      subscriber: {
        email: 'ada@example.com',
        emailHash: 'h',
        name,
        status: 'active',
        topics: ['models', 'research'],
        pausedUntil: null,
        source: 'api',
        createdAt: '2026-11-01T09:30:00.000Z',
        updatedAt: '2026-11-01T09:30:00.000Z',
        confirmedAt: '2026-11-01T09:31:00.000Z',
        unsubscribedAt: null,
        lastConfirmationSentAt: null,
      },
      consents: [{ action: 'signup', source: 'api', formVersion: null, ipHash: 'ip', userAgent: 'UA <x>', createdAt: '2026-11-01T09:30:00.000Z' }],
      deliveries: [
        {
          kind: 'welcome',
          issueId: null,
          status: 'sent',
          toEmail: 'ada@example.com',
          toName: name,
          message: { subject: 'Welcome', html: '<p>hi</p>' },
          providerId: null,
          error: null,
          createdAt: 'x',
          sentAt: null,
          lastEventAt: null,
        },
      ],
    } as SubscriberExport;
    const preferencesUrl = 'https://recap.example.com/preferences/t1';
    const mail = await renderExportEmail({ data, preferencesUrl, config });
    const plain = structuredClone(data);
    plain.subscriber.name = plain.deliveries[0].toName = 'Ada';
    plain.consents[0].userAgent = 'UA';
    plain.deliveries[0].message = { subject: 'Welcome' };
    expectWellFormed(await renderExportEmail({ data: plain, preferencesUrl, config })); // plain text carries what was typed as typed
    expect(mail.subject).toBe('Your data from Weekly AI Recap');
    expect(mail.html).toContain('Models, Research');
    expect(mail.html).toContain('2026-11-01 09:31 UTC');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html.match(/<\/pre>/g)).toHaveLength(1);
    const pre = /<pre[^>]*>([\s\S]*)<\/pre>/.exec(mail.html)![1];
    const unescapeHtml = (h: string) =>
      h
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#x27;/g, "'")
        .replace(/&amp;/g, '&');
    expect(JSON.parse(unescapeHtml(pre))).toEqual(data);
    expect(JSON.parse(/^\{$[\s\S]*^\}$/m.exec(mail.text)![0])).toEqual(data);
    expect(scanHtml(mail.html).links.map((l) => l.href)).toContain(preferencesUrl);
    expect(mail.text).toContain(`Manage preferences: ${preferencesUrl}`);
  });

  it('refuses a javascript: or relative link rather than sending a broken mail', async () => {
    await expect(renderConfirmEmail({ confirmUrl: 'javascript:alert(1)', config })).rejects.toThrow(/confirmUrl/);
    await expect(renderSigninEmail({ signinUrl: '/editor/signin/tok', config })).rejects.toThrow(/signinUrl/);
    await expect(renderWelcomeEmail({ preferencesUrl: 'https://a.example/p', unsubscribeUrl: 'data:text/html,x', config })).rejects.toThrow(/unsubscribeUrl/);
  });
});
