// The view model decides what a reader sees: links, UTM tags, cut lengths, placeholders. Pure, so tested directly.
import { describe, expect, it } from 'vitest';
import { sampleConfig, sampleIssueInput } from '../emails/fixtures/sample-issue.js';
import { countGraphemes } from '../src/mail/graphemes.js';
import { addUtm } from '../src/mail/links.js';
import { PLACEHOLDERS } from '../src/mail/placeholders.js';
import { buildIssueViewModel, type IssueItemInput } from '../src/mail/view-model.js';
import { formatWeekLabel } from '../src/mail/week-label.js';

const item = (over: Partial<IssueItemInput> = {}): IssueItemInput => ({
  title: 'A story',
  url: 'https://news.example.com/a',
  sourceName: 'News',
  topics: ['models'],
  ...over,
});

const vmWith = (items: IssueItemInput[], issue = {}) => buildIssueViewModel({ ...sampleIssueInput(0, issue), items });

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('buildIssueViewModel', () => {
  it('tags outbound article links with UTM parameters and keeps their own query untouched', () => {
    const vm = vmWith([item({ url: 'https://news.example.com/a?b=1%2B2&c=x+y&utm_source=twitter#top' })]);
    const u = new URL(vm.items[0].href!);
    expect(u.search).toBe('?b=1%2B2&c=x+y&utm_source=weekly-ai-recap&utm_medium=email&utm_campaign=2026-w48');
    expect(u.hash).toBe('#top');
  });

  it('does not tag links into our own site', () => {
    const vm = vmWith([item({ url: `${sampleConfig.publicUrl}/archive/2026-w47` })]);
    expect(vm.items[0].href).toBe(`${sampleConfig.publicUrl}/archive/2026-w47`);
  });

  it('builds the archive link from the public URL and the slug', () => {
    const vm = vmWith([]);
    expect(vm.archiveUrl).toBe('https://recap.example.com/archive/2026-w48');
  });

  it('never turns javascript:, data: or relative URLs into links', () => {
    const vm = vmWith([
      item({ url: 'javascript:alert(1)', sourceUrl: 'data:text/html,<script>alert(1)</script>', imageUrl: 'javascript:x' }),
      item({ url: ' JaVaScRiPt:alert(1)' }),
      item({ url: '/relative/path', imageUrl: 'http://insecure.example.com/a.png' }),
    ]);
    for (const it of vm.items) {
      expect(it.href).toBeNull();
      expect(it.sourceHref).toBeNull();
      expect(it.image).toBeNull();
    }
  });

  it("prefers the editor's blurb over why-it-matters, and that over the summary", () => {
    const vm = vmWith([
      item({ blurb: 'Editor says', whyItMatters: 'Model says', summary: 'Summary' }),
      item({ whyItMatters: 'Model says', summary: 'Summary' }),
      item({ summary: 'Summary' }),
      item({ blurb: '   ', whyItMatters: 'Model says' }),
    ]);
    expect(vm.items.map((i) => i.note)).toEqual(['Editor says', 'Model says', 'Summary', 'Model says']);
  });

  it('numbers items, labels known topics and keeps unknown ones as written', () => {
    const vm = vmWith([item({ topics: ['compute'] }), item({ topics: ['robotics'] }), item({ topics: [] })]);
    expect(vm.items.map((i) => [i.numberLabel, i.topicLabel])).toEqual([
      ['01', 'Compute & chips'],
      ['02', 'robotics'],
      ['03', null],
    ]);
  });

  it('cuts the preheader by grapheme, never inside an emoji', () => {
    const family = '👩‍👩‍👧‍👦';
    for (let pad = 140; pad <= 150; pad++) {
      const vm = vmWith([], { preheader: `${'a'.repeat(pad)}${family}${family}${family} tail`, defaultPreheader: '' });
      expect(countGraphemes(vm.preheader)).toBeLessThanOrEqual(150);
      expect(vm.preheader).not.toMatch(LONE_SURROGATE);
      expect(vm.preheader.replaceAll(family, '')).not.toMatch(/[\u200d\u{1F466}-\u{1F469}]/u);
    }
  });

  it('uses the editor subject and preheader when set, the generated ones otherwise', () => {
    expect(vmWith([]).subject).toBe(sampleIssueInput().issue.defaultSubject);
    const vm = vmWith([], { subject: '  Custom\nsubject ', preheader: 'Custom preheader' });
    expect([vm.subject, vm.preheader]).toEqual(['Custom subject', 'Custom preheader']);
  });

  it('leaves per-recipient values as placeholders, and content cannot forge one', () => {
    const vm = vmWith([item({ title: `Hi ${PLACEHOLDERS.unsubscribeUrl} %%%WR_NAME%%` })], { intro: `See ${PLACEHOLDERS.name}` });
    expect(vm.unsubscribeUrl).toBe(PLACEHOLDERS.unsubscribeUrl);
    expect(vm.greetingName).toBe(PLACEHOLDERS.name);
    expect(vm.items[0].title).not.toMatch(/%%WR_/);
    expect(vm.introHtml).not.toMatch(/%%WR_/);
  });

  it('renders the intro Markdown without raw HTML and without script links', () => {
    const vm = vmWith([], {
      intro: '**Bold** <script>alert(1)</script> [bad](javascript:alert(1)) [good](https://example.org/x?a=1) ![img](https://example.org/i.png)',
    });
    expect(vm.introHtml).toContain('<strong>Bold</strong>');
    expect(vm.introHtml).toContain('&lt;script&gt;');
    expect(vm.introHtml).not.toMatch(/<script|href="javascript/i);
    expect(vm.introHtml).toContain('href="https://example.org/x?a=1&amp;utm_source=weekly-ai-recap');
    expect(vm.introHtml).not.toContain('<img');
    expect(vm.introText).toContain('good (https://example.org/x?a=1&utm_source=weekly-ai-recap');
  });

  it('labels the ISO week with its dates', () => {
    expect(formatWeekLabel('2026-W48')).toBe('Week 48 · 23–29 Nov 2026');
    expect(formatWeekLabel('2026-W01')).toBe('Week 1 · 29 Dec 2025 – 4 Jan 2026');
    expect(formatWeekLabel('2026-W05')).toBe('Week 5 · 26 Jan – 1 Feb 2026');
  });

  it('keeps existing UTM-free URLs valid when tagging', () => {
    expect(addUtm('https://a.example/p', { source: 's', medium: 'm', campaign: 'c d' })).toBe(
      'https://a.example/p?utm_source=s&utm_medium=m&utm_campaign=c%20d',
    );
  });
});
