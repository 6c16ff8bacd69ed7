// Render once, fill per recipient: two readers' mails may differ only in their own links and name.
import { describe, expect, it } from 'vitest';
import { sampleIssueInput } from '../emails/fixtures/sample-issue.js';
import { escapeHtml } from '../src/mail/escape-html.js';
import { compilePersonalization, personalize } from '../src/mail/personalize.js';
import { PLACEHOLDERS } from '../src/mail/placeholders.js';
import { renderIssue, type MailEngine } from '../src/mail/render.js';
import { buildIssueViewModel } from '../src/mail/view-model.js';

const recipient = (id: string, name?: string) => ({
  unsubscribeUrl: `https://recap.example.com/unsubscribe/${id}?sig=a&b=c`,
  preferencesUrl: `https://recap.example.com/preferences/${id}`,
  name,
});

/** Replaces every occurrence of one recipient's values with neutral markers, so what remains must be equal. */
function normalise(s: string, r: ReturnType<typeof recipient>, escaped: boolean): string {
  const enc = escaped ? escapeHtml : (x: string) => x;
  return s
    .replaceAll(enc(r.unsubscribeUrl), '{UNSUB}')
    .replaceAll(enc(r.preferencesUrl), '{PREFS}')
    .replaceAll(enc(r.name ?? 'there'), '{NAME}');
}

describe.each<MailEngine>(['react', 'mjml'])('personalize (%s)', (engine) => {
  it('gives two recipients different unsubscribe URLs and changes nothing else', async () => {
    const rendered = await renderIssue(buildIssueViewModel(sampleIssueInput(8)), engine);
    const fill = compilePersonalization(rendered);
    const a = recipient('tok-aaa', 'Ana');
    const b = recipient('tok-bbb', 'Bo');
    const ma = fill(a);
    const mb = fill(b);
    expect(ma.html).toContain(`href="${escapeHtml(a.unsubscribeUrl)}"`);
    expect(mb.html).toContain(`href="${escapeHtml(b.unsubscribeUrl)}"`);
    expect(ma.html).not.toContain('tok-bbb');
    expect(ma.text).toContain(`Unsubscribe: ${a.unsubscribeUrl}`);
    expect(mb.text).toContain(`Unsubscribe: ${b.unsubscribeUrl}`);
    expect(ma.html).not.toEqual(mb.html);
    expect(normalise(ma.html, a, true)).toEqual(normalise(mb.html, b, true));
    expect(normalise(ma.text, a, false)).toEqual(normalise(mb.text, b, false));
    for (const m of [ma, mb]) expect(m.html + m.text).not.toMatch(/%%WR_/);
  });

  it('escapes the name and URLs so they cannot break the HTML', async () => {
    const rendered = await renderIssue(buildIssueViewModel(sampleIssueInput(1)), engine);
    const m = personalize(rendered, {
      unsubscribeUrl: 'https://recap.example.com/unsubscribe/x?a=1&b="><script>alert(1)</script>',
      preferencesUrl: "https://recap.example.com/preferences/x?'onmouseover='alert(1)",
      name: '<b>Eve</b> "&" \'',
    });
    expect(m.html).not.toMatch(/<script|<b>Eve|'onmouseover='/);
    expect(m.html).toContain('href="https://recap.example.com/unsubscribe/x?a=1&amp;b=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(m.html).toContain('Hi &lt;b&gt;Eve&lt;/b&gt; &quot;&amp;&quot; &#x27;,'); // React's escaping, as in the rest of the mail
    expect(m.text).toContain('Hi <b>Eve</b> "&" \',');
  });

  it('refuses non-http URLs and greets nameless readers as "there"', async () => {
    const rendered = await renderIssue(buildIssueViewModel(sampleIssueInput(1)), engine);
    const fill = compilePersonalization(rendered);
    expect(() => fill({ unsubscribeUrl: 'javascript:alert(1)', preferencesUrl: 'https://a.example/p' })).toThrow(/unsubscribeUrl/);
    expect(() => fill({ unsubscribeUrl: 'https://a.example/u', preferencesUrl: 'https://a.example/p x' })).toThrow(/preferencesUrl/);
    const m = fill({ unsubscribeUrl: 'https://a.example/u', preferencesUrl: 'https://a.example/p', name: '  \n ' });
    expect(m.html).toContain('Hi there,');
    expect(m.text).toContain('Hi there,');
  });

  it('does not fill a placeholder that an item tried to smuggle in', async () => {
    const input = sampleIssueInput(1);
    input.items[0].title = `Leak ${PLACEHOLDERS.unsubscribeUrl}`;
    const m = personalize(await renderIssue(buildIssueViewModel(input), engine), recipient('secret', 'Ana'));
    const titleLine = m.text.split('\n').find((l) => l.includes('Leak'))!;
    expect(titleLine).not.toContain('secret');
    expect(m.html.match(/unsubscribe\/secret/g)).toHaveLength(1);
  });
});
