// The recap as readers get it, in both engines: escaping, scripts, sizes, plain text, accessibility basics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { heavyIssueInput, sampleIssueInput } from '../emails/fixtures/sample-issue.js';
import { scanHtml } from '../src/mail/html-scan.js';
import { personalize } from '../src/mail/personalize.js';
import { renderIssue, type MailEngine } from '../src/mail/render.js';
import { buildIssueViewModel, type BuildIssueViewModelInput } from '../src/mail/view-model.js';

const ENGINES: MailEngine[] = ['react', 'mjml'];
const RECIPIENT = {
  unsubscribeUrl: 'https://recap.example.com/unsubscribe/tok-A',
  preferencesUrl: 'https://recap.example.com/preferences/tok-A',
  name: 'Ana',
};

const XSS = `"'><script>alert(1)</script><img src=x onerror=alert(2)></mj-text><mj-raw><script>alert(3)</script></mj-raw>&amp; {{x}} javascript:alert(4)`;

function xssIssue(): BuildIssueViewModelInput {
  const input = sampleIssueInput(2, { subject: `Subject ${XSS}`, preheader: `Pre ${XSS}`, intro: `Intro ${XSS}` });
  input.items = [
    {
      title: `Title ${XSS}`,
      url: 'javascript:alert(5)',
      sourceName: `Source ${XSS}`,
      sourceUrl: `https://evil.example/"><script>alert(6)</script>`,
      summary: `Summary ${XSS}`,
      whyItMatters: `Why ${XSS}`,
      topics: [`Topic ${XSS}`],
      imageUrl: `https://img.example/a.png" onerror="alert(7)`,
      keyTakeaways: [`Takeaway ${XSS}`],
    },
    {
      title: `Second ${XSS}`,
      url: `https://ok.example/p?q="><script>alert(8)</script>&x='y'`,
      sourceName: `Source2 ${XSS}`,
      blurb: `Blurb ${XSS}`,
      topics: ['models'],
      imageUrl: `javascript:alert(9)`,
    },
  ];
  return input;
}

async function renderBoth(input: BuildIssueViewModelInput) {
  const vm = buildIssueViewModel(input);
  const out: Record<MailEngine, { html: string; text: string }> = {} as never;
  for (const engine of ENGINES) out[engine] = personalize(await renderIssue(vm, engine), RECIPIENT);
  return { vm, out };
}

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
});
afterAll(async () => {
  await browser?.close();
});

describe.each(ENGINES)('renderIssue (%s)', (engine) => {
  it('escapes an XSS payload in every text field: no script, no handler, no javascript: href', async () => {
    const { out } = await renderBoth(xssIssue());
    const { html, text } = out[engine];
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img src=x/i);
    expect(html).not.toMatch(/<mj-raw|<\/mj-text/i);
    for (const { href } of scanHtml(html).links) expect(href ?? '').not.toMatch(/^\s*javascript:/i);
    for (const { src } of scanHtml(html).images) expect(src ?? '').toMatch(/^https:\/\//);

    // What a browser actually builds from it: the payload stays text, attributes stay whole.
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.route('**/*', (r) => r.abort());
    await page.setContent(html);
    const dom = await page.evaluate(() => {
      const all = [...document.querySelectorAll('*')];
      return {
        scripts: document.querySelectorAll('script').length,
        handlers: all.flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name)),
        hrefs: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')!),
        titles: [...document.querySelectorAll('h3')].map((h) => h.textContent),
        alts: [...document.querySelectorAll('img')].map((i) => i.getAttribute('alt')),
        imgSrcs: [...document.querySelectorAll('img')].map((i) => i.getAttribute('src')),
      };
    });
    await page.close();
    expect(dom.scripts).toBe(0);
    expect(dom.handlers).toEqual([]);
    expect(dom.hrefs.filter((h) => /^\s*javascript:/i.test(h))).toEqual([]);
    expect(dom.titles).toEqual([`Title ${XSS}`, `Second ${XSS}`]);
    expect(dom.imgSrcs).toEqual(['https://img.example/a.png%22%20onerror=%22alert(7)']);
    expect(dom.alts).toEqual([`Title ${XSS}`]);
    // The first item has no safe URL, so its title is plain text, not a link.
    expect(dom.hrefs.some((h) => h.startsWith('https://ok.example/p?q=%22%3E%3Cscript%3E'))).toBe(true);

    expect(text).toContain(`Title ${XSS}`);
    expect(text).not.toContain('javascript:alert(5)');
  });

  it('round-trips CJK and emoji in HTML and text', async () => {
    const input = sampleIssueInput(1, { intro: '本周要闻 👋 — see below' });
    input.items = [
      {
        title: '虎嗅：国产AI芯片出货量翻倍 🚀',
        url: 'https://www.huxiu.com/article/1.html',
        sourceName: '虎嗅',
        whyItMatters: '训练成本有望下降 👩‍👩‍👧‍👦 🇪🇺',
        topics: ['compute'],
      },
    ];
    const { out } = await renderBoth(input);
    const { html, text } = personalize(await renderIssue(buildIssueViewModel(input), engine), { ...RECIPIENT, name: '李雷 🙂' });
    for (const s of ['虎嗅：国产AI芯片出货量翻倍 🚀', '训练成本有望下降 👩‍👩‍👧‍👦 🇪🇺', '本周要闻 👋', '李雷 🙂']) {
      expect(html).toContain(s);
      expect(text).toContain(s);
    }
    expect(out[engine].html).toMatch(/<meta[^>]+charset=UTF-8/i);
  });

  it('keeps a heavy 15-item issue under 100 KB', async () => {
    const { out } = await renderBoth(heavyIssueInput(15));
    const bytes = new TextEncoder().encode(out[engine].html).length;
    expect(bytes).toBeLessThan(100_000);
  });

  it('puts every title and every article link in the plain text, readably', async () => {
    const { vm, out } = await renderBoth(sampleIssueInput(15));
    const { text } = out[engine];
    for (const item of vm.items) {
      expect(text).toContain(item.title);
      expect(text).toContain(item.href!);
    }
    expect(text).toContain(vm.archiveUrl);
    expect(text).toContain(RECIPIENT.unsubscribeUrl);
    expect(text).toContain(RECIPIENT.preferencesUrl);
    expect(text).not.toContain(vm.preheader); // no hidden preview text leaking into the text part
    expect(text).not.toMatch(/<[a-z]/i);
    expect(text).not.toContain(vm.storiesHeading.toUpperCase());
    expect(text).toContain(vm.storiesHeading);
  });

  it('has lang, presentation tables, alt text, colour-scheme metas and the full footer', async () => {
    const { vm, out } = await renderBoth(sampleIssueInput(8));
    const { html } = out[engine];
    expect(html).toMatch(/<html[^>]*\blang="en"/);
    expect(html).toMatch(/<meta name="color-scheme" content="light dark"/);
    expect(html).toMatch(/<meta name="supported-color-schemes" content="light dark"/);
    expect(html).toContain('prefers-color-scheme:dark');
    const tables = html.match(/<table\b[^>]*>/gi) ?? [];
    expect(tables.length).toBeGreaterThan(3);
    for (const t of tables) expect(t).toMatch(/role="presentation"/);
    for (const img of scanHtml(html).images) expect(img.alt?.trim()).toBeTruthy();
    expect(html).toContain('background-color:#f2efe9'); // explicit page colour, not the client's default
    expect(html).not.toMatch(/<link\b|fonts\.googleapis/); // no web fonts, no preload hints: nothing loads but images
    const hrefs = scanHtml(html).links.map((l) => l.href);
    for (const url of [RECIPIENT.unsubscribeUrl, RECIPIENT.preferencesUrl, vm.archiveUrl, vm.archiveIndexUrl]) expect(hrefs).toContain(url);
    expect(html).toContain(vm.reason);
    expect(html).toContain(vm.postalAddress);
    expect(html).toContain('Hi Ana,');
    expect(html).toContain(vm.preheader);
  });
});
