// The pre-send checks pass a good issue in both engines and catch each way an issue can be broken.
import { describe, expect, it } from 'vitest';
import { heavyIssueInput, sampleIssueInput } from '../emails/fixtures/sample-issue.js';
import { personalize } from '../src/mail/personalize.js';
import { runPresendChecks, type PresendInput } from '../src/mail/presend-checks.js';
import { renderIssue, type MailEngine } from '../src/mail/render.js';
import { buildIssueViewModel, type BuildIssueViewModelInput } from '../src/mail/view-model.js';

const UNSUB = 'https://recap.example.com/unsubscribe/tok-1';
const HEADERS = { 'List-Unsubscribe': `<${UNSUB}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };

async function presendInput(engine: MailEngine, input: BuildIssueViewModelInput = sampleIssueInput(10)): Promise<PresendInput> {
  const vm = buildIssueViewModel(input);
  const mail = personalize(await renderIssue(vm, engine), { unsubscribeUrl: UNSUB, preferencesUrl: 'https://recap.example.com/preferences/tok-1' });
  return { ...mail, subject: vm.subject, preheader: vm.preheader, headers: HEADERS, publicUrl: 'https://recap.example.com' };
}

const failing = (r: ReturnType<typeof runPresendChecks>) => r.checks.filter((c) => !c.ok).map((c) => c.id);

describe.each<MailEngine>(['react', 'mjml'])('runPresendChecks (%s)', (engine) => {
  it('passes a good issue, personalised or still holding its placeholders', async () => {
    const good = await presendInput(engine);
    const report = runPresendChecks(good);
    expect(failing(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.id)).toEqual([
      'html-size',
      'unsubscribe-html',
      'unsubscribe-text',
      'list-unsubscribe-headers',
      'links-absolute',
      'images-alt',
      'subject',
      'preheader',
      'caniemail',
    ]);
    const vm = buildIssueViewModel(sampleIssueInput(10));
    const raw = await renderIssue(vm, engine);
    expect(failing(runPresendChecks({ ...raw, subject: vm.subject, preheader: vm.preheader, headers: HEADERS }))).toEqual([]);
  });

  it('fails an issue without an unsubscribe link or headers', async () => {
    const good = await presendInput(engine);
    const report = runPresendChecks({
      ...good,
      html: good.html.replaceAll(UNSUB, 'https://recap.example.com/'),
      text: good.text.replaceAll(UNSUB, ''),
      headers: {},
    });
    expect(report.ok).toBe(false);
    expect(failing(report)).toEqual(['unsubscribe-html', 'unsubscribe-text', 'list-unsubscribe-headers']);
    expect(report.checks.find((c) => c.id === 'unsubscribe-html')!.fix).toBeTruthy();
  });

  it('fails an oversized issue', async () => {
    const input = heavyIssueInput(15);
    input.items = input.items.map((i) => ({ ...i, blurb: 'An editor who could not stop writing. '.repeat(200) }));
    const report = runPresendChecks(await presendInput(engine, input));
    expect(failing(report)).toEqual(['html-size']);
    expect(report.checks[0].message).toMatch(/KB of 100\.0 KB/);
  });

  it('fails an image without alt text, an http link, a javascript: link and a relative link', async () => {
    const good = await presendInput(engine);
    const extra =
      '<img src="https://img.example/a.png"><a href="http://tracker.example/x">x</a>' +
      '<a href="javascript:alert(1)">y</a><a href="/relative">z</a><img src="https://img.example/b.png" alt="  ">';
    const report = runPresendChecks({ ...good, html: good.html.replace('</body>', `${extra}</body>`) });
    expect(failing(report)).toEqual(['links-absolute', 'images-alt']);
    const links = report.checks.find((c) => c.id === 'links-absolute')!;
    expect(links.message).toContain('3 bad');
    expect(report.checks.find((c) => c.id === 'images-alt')!.message).toContain('2 without alt');
  });

  it('fails a missing subject and an over-long preheader', async () => {
    const good = await presendInput(engine);
    const report = runPresendChecks({ ...good, subject: '  ', preheader: '🙂'.repeat(151) });
    expect(failing(report)).toEqual(['subject', 'preheader']);
    expect(runPresendChecks({ ...good, preheader: '🙂'.repeat(150) }).ok).toBe(true);
  });

  it('fails CSS that a client cannot render and that is not on the allowlist', async () => {
    const good = await presendInput(engine);
    const report = runPresendChecks({
      ...good,
      html: good.html.replace('</body>', '<div style="position:fixed;background-image:linear-gradient(red,blue)">x</div></body>'),
    });
    expect(failing(report)).toEqual(['caniemail']);
    expect(report.checks.find((c) => c.id === 'caniemail')!.message).toMatch(/position|gradient/);
  });
});

describe('runPresendChecks links under PUBLIC_URL', () => {
  it('accepts plain-http links only under the configured public URL (local development)', async () => {
    const good = await presendInput('react');
    const html = good.html.replace('</body>', '<a href="http://localhost:8787/archive">a</a></body>');
    expect(runPresendChecks({ ...good, html, publicUrl: 'http://localhost:8787' }).ok).toBe(true);
    expect(failing(runPresendChecks({ ...good, html, publicUrl: 'https://recap.example.com' }))).toEqual(['links-absolute']);
  });
});
