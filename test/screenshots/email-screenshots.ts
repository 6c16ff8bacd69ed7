// Screenshots of every mail in Chromium at 600 px and 375 px, light and dark, for a human to look at.
// Run: npx tsx test/screenshots/email-screenshots.ts   (writes test-results/screenshots/*.png and *.html)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { sampleConfig, sampleIssueInput } from '../../emails/fixtures/sample-issue.js';
import { personalize } from '../../src/mail/personalize.js';
import { renderIssue } from '../../src/mail/render.js';
import { renderConfirmEmail, renderSigninEmail, renderWelcomeEmail } from '../../src/mail/transactional.js';
import { buildIssueViewModel } from '../../src/mail/view-model.js';

const OUT = join(process.cwd(), 'test-results', 'screenshots');
const WIDTHS = [600, 375];
const SCHEMES = ['light', 'dark'] as const;

// Stand-in for remote article images: the screenshots run offline.
const PLACEHOLDER_IMAGE = `<svg xmlns="http://www.w3.org/2000/svg" width="984" height="520" viewBox="0 0 984 520">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#2b3a67"/><stop offset="1" stop-color="#c2410c"/></linearGradient></defs>
<rect width="984" height="520" fill="url(#g)"/><text x="50%" y="52%" fill="#fff" font-family="sans-serif" font-size="42" text-anchor="middle">article image</text></svg>`;

async function collectMails(): Promise<Array<{ name: string; html: string }>> {
  const recipient = {
    unsubscribeUrl: 'https://recap.example.com/unsubscribe/tok-123',
    preferencesUrl: 'https://recap.example.com/preferences/tok-123',
    name: 'Ana',
  };
  const vm = buildIssueViewModel(sampleIssueInput(8));
  const mails = [];
  for (const engine of ['react', 'mjml'] as const) {
    mails.push({ name: `recap-${engine}`, html: personalize(await renderIssue(vm, engine), recipient).html });
  }
  const config = sampleConfig;
  mails.push({ name: 'confirm', html: (await renderConfirmEmail({ confirmUrl: 'https://recap.example.com/confirm/tok', name: '李雷', config })).html });
  mails.push({
    name: 'welcome',
    html: (
      await renderWelcomeEmail({
        latestIssueUrl: 'https://recap.example.com/archive/2026-w48',
        preferencesUrl: recipient.preferencesUrl,
        unsubscribeUrl: recipient.unsubscribeUrl,
        config,
      })
    ).html,
  });
  mails.push({ name: 'signin', html: (await renderSigninEmail({ signinUrl: 'https://recap.example.com/editor/signin/tok', config })).html });
  return mails;
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const mails = await collectMails();
  // Playwright gives every launch a fresh temporary profile (it refuses --user-data-dir here).
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const written: string[] = [];
  try {
    for (const mail of mails) {
      writeFileSync(join(OUT, `${mail.name}.html`), mail.html);
      for (const width of WIDTHS) {
        for (const scheme of SCHEMES) {
          const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme, deviceScaleFactor: 1 });
          await context.route('**/*', (route) => {
            const req = route.request();
            if (req.resourceType() === 'image') return route.fulfill({ contentType: 'image/svg+xml', body: PLACEHOLDER_IMAGE });
            return route.abort(); // no network: anything else a mail tries to load is a bug
          });
          const page = await context.newPage();
          await page.setContent(mail.html, { waitUntil: 'load' });
          const file = join(OUT, `${mail.name}-${width}-${scheme}.png`);
          await page.screenshot({ path: file, fullPage: true });
          written.push(file);
          await context.close();
        }
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`${written.length} screenshots in ${OUT}`);
}

await main();
