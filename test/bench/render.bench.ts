// Render cost per issue for each engine and the per-recipient personalisation rate, against in-run baselines:
// rendering per recipient (what personalisation replaces) and naive replaceAll substitution.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { sampleIssueInput } from '../../emails/fixtures/sample-issue.js';
import WeeklyRecapEmail from '../../emails/weekly-recap.js';
import { escapeHtml } from '../../src/mail/escape-html.js';
import { compilePersonalization } from '../../src/mail/personalize.js';
import { PLACEHOLDERS } from '../../src/mail/placeholders.js';
import { renderIssue, type MailEngine } from '../../src/mail/render.js';
import { buildIssueViewModel } from '../../src/mail/view-model.js';
import type { BenchResult } from './run.js';

const ITEMS = 15;

async function medianMs(fn: () => unknown, warmup: number, runs: number): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function perSecond(fn: (i: number) => unknown, seconds: number): number {
  let n = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (let k = 0; k < 1000; k++) fn(n++);
  }
  return n / seconds;
}

export default async function bench(): Promise<BenchResult[]> {
  if (process.env.NODE_ENV !== 'production') console.warn('  (NODE_ENV is not production: React is 2-3x slower; use npm run bench)');
  const input = sampleIssueInput(ITEMS);
  const vm = buildIssueViewModel(input);
  const results: BenchResult[] = [];

  const vmMs = await medianMs(() => buildIssueViewModel(input), 20, 200);
  const rawReactMs = await medianMs(() => renderToStaticMarkup(createElement(WeeklyRecapEmail, { vm })), 30, 300);
  const ms: Record<MailEngine, number> = {
    react: await medianMs(() => renderIssue(vm, 'react'), 30, 300),
    mjml: await medianMs(() => renderIssue(vm, 'mjml'), 20, 150),
  };
  results.push(
    {
      name: `render ${ITEMS}-item issue, React Email (median)`,
      value: ms.react,
      unit: 'ms',
      target: '<= 5 ms',
      pass: ms.react <= 5,
      note: `${(ms.react / rawReactMs).toFixed(2)}x bare renderToStaticMarkup (${rawReactMs.toFixed(2)} ms)`,
    },
    {
      name: `render ${ITEMS}-item issue, MJML (median)`,
      value: ms.mjml,
      unit: 'ms',
      target: '<= 20 ms',
      pass: ms.mjml <= 20,
      note: `${(ms.mjml / ms.react).toFixed(2)}x React Email`,
    },
    { name: 'build view model (median, once per issue)', value: vmMs, unit: 'ms' },
  );

  for (const engine of ['react', 'mjml'] as MailEngine[]) {
    const rendered = await renderIssue(vm, engine);
    const fill = compilePersonalization(rendered);
    const values = (i: number) => ({
      unsubscribeUrl: `https://recap.example.com/unsubscribe/${i}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`,
      preferencesUrl: `https://recap.example.com/preferences/${i}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`,
      name: i % 3 === 0 ? undefined : `Reader ${i}`,
    });
    let sink = 0;
    const compiled = perSecond((i) => {
      sink += fill(values(i)).html.length;
    }, 2);
    // The bytes a provider call needs: forcing V8 to flatten the joined string once per mail.
    const flattened = perSecond((i) => {
      const m = fill(values(i));
      sink += m.html.charCodeAt(m.html.length >> 1) + m.text.charCodeAt(m.text.length >> 1);
    }, 2);
    const naive = perSecond((i) => {
      const v = values(i);
      const html = rendered.html
        .replaceAll(PLACEHOLDERS.unsubscribeUrl, escapeHtml(v.unsubscribeUrl))
        .replaceAll(PLACEHOLDERS.preferencesUrl, escapeHtml(v.preferencesUrl))
        .replaceAll(PLACEHOLDERS.name, escapeHtml(v.name ?? 'there'));
      sink += html.length;
    }, 1);
    const renderPerRecipient = 1000 / ms[engine];
    results.push({
      name: `personalise (${engine} output)`,
      value: compiled,
      unit: 'mails/s',
      target: '>= 100,000/s',
      pass: compiled >= 100_000,
      note:
        `${(compiled / naive).toFixed(1)}x naive replaceAll (${Math.round(naive).toLocaleString('en')}/s), ` +
        `${Math.round(compiled / renderPerRecipient).toLocaleString('en')}x rendering per recipient; ` +
        `${Math.round(flattened).toLocaleString('en')}/s with the string flattened`,
    });
    if (sink === -1) console.log(sink);
  }
  return results;
}
