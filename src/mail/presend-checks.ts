// The one list of pre-send checks the editor UI, the API and the CLI all run before an issue may go out.
import { lintEmailHtml } from './caniemail.js';
import { countGraphemes } from './graphemes.js';
import { scanHtml } from './html-scan.js';
import { isPlaceholder, PLACEHOLDERS } from './placeholders.js';
import { PREHEADER_MAX_GRAPHEMES, SUBJECT_MAX_GRAPHEMES } from './view-model.js';

/** Gmail clips a message above ~102 KB; link rewriting by the provider adds some, so we stop earlier. */
export const MAX_HTML_BYTES = 100_000;

export interface PresendInput {
  html: string;
  text: string;
  subject: string;
  preheader: string;
  /** The headers the caller will send (names are matched case-insensitively). */
  headers: Record<string, string>;
  /** Links under this base may be plain http (local development). */
  publicUrl?: string;
}

export interface PresendCheck {
  id: string;
  label: string;
  ok: boolean;
  message: string;
  fix?: string;
}

export interface PresendReport {
  ok: boolean;
  checks: PresendCheck[];
}

export function runPresendChecks(input: PresendInput): PresendReport {
  const { links, images } = scanHtml(input.html);
  const headers = lowerKeys(input.headers);
  const listUnsubscribe = headers['list-unsubscribe'] ?? '';
  const headerUrls = [...listUnsubscribe.matchAll(/<([^>]+)>/g)].map((m) => m[1].trim());
  const isUnsubscribeHref = (href: string) => href === PLACEHOLDERS.unsubscribeUrl || headerUrls.includes(href) || /\/unsubscribe(\/|\?|$)/i.test(href);
  const allowedLink = (href: string) => isPlaceholder(href) || /^https:\/\/[^\s/]/i.test(href) || /^mailto:/i.test(href) || underBase(href, input.publicUrl);

  const checks: PresendCheck[] = [];
  const add = (c: PresendCheck) => checks.push(c);

  const bytes = new TextEncoder().encode(input.html).length;
  add({
    id: 'html-size',
    label: 'HTML under 100 KB',
    ok: bytes < MAX_HTML_BYTES,
    message: `${kb(bytes)} of ${kb(MAX_HTML_BYTES)}`,
    fix: bytes < MAX_HTML_BYTES ? undefined : 'Remove items or shorten blurbs; Gmail clips longer mails and hides the footer.',
  });

  const htmlUnsub = links.some((l) => l.href !== null && isUnsubscribeHref(l.href));
  add({
    id: 'unsubscribe-html',
    label: 'Unsubscribe link in the HTML',
    ok: htmlUnsub,
    message: htmlUnsub ? 'found' : 'no link to the unsubscribe page',
    fix: htmlUnsub ? undefined : 'Render the issue with the standard footer.',
  });

  const textUnsub =
    input.text.includes(PLACEHOLDERS.unsubscribeUrl) ||
    headerUrls.some((u) => input.text.includes(u)) ||
    /https?:\/\/\S*\/unsubscribe(\/|\?|\s|$)/i.test(input.text);
  add({
    id: 'unsubscribe-text',
    label: 'Unsubscribe link in the plain text',
    ok: textUnsub,
    message: textUnsub ? 'found' : 'the text part has no unsubscribe URL',
    fix: textUnsub ? undefined : 'Render the text part with the standard footer.',
  });

  const headerUrlOk = headerUrls.some((u) => isPlaceholder(u) || /^https:\/\//i.test(u) || underBase(u, input.publicUrl));
  const oneClick = (headers['list-unsubscribe-post'] ?? '').trim() === 'List-Unsubscribe=One-Click';
  add({
    id: 'list-unsubscribe-headers',
    label: 'List-Unsubscribe and List-Unsubscribe-Post headers',
    ok: headerUrlOk && oneClick,
    message: [
      headerUrlOk ? 'List-Unsubscribe has an https URL' : 'List-Unsubscribe missing or without an https URL',
      oneClick ? 'one-click POST declared' : 'List-Unsubscribe-Post missing or not "List-Unsubscribe=One-Click"',
    ].join('; '),
    fix:
      headerUrlOk && oneClick ? undefined : 'Send with List-Unsubscribe: <PUBLIC_URL/unsubscribe/TOKEN> and List-Unsubscribe-Post: List-Unsubscribe=One-Click.',
  });

  const badLinks = links.filter((l) => l.href === null || !allowedLink(l.href.trim())).map((l) => l.href ?? '(no href)');
  add({
    id: 'links-absolute',
    label: 'Every link is absolute https',
    ok: badLinks.length === 0,
    message: badLinks.length === 0 ? `${links.length} links checked` : `${badLinks.length} bad: ${sample(badLinks)}`,
    fix: badLinks.length === 0 ? undefined : 'Fix or remove the item URLs listed; relative, http and javascript: links are refused.',
  });

  const noAlt = images.filter((i) => !i.alt?.trim());
  const insecure = images.filter((i) => !i.src || !/^https:\/\//i.test(i.src));
  add({
    id: 'images-alt',
    label: 'Every image has alt text and loads over https',
    ok: noAlt.length === 0 && insecure.length === 0,
    message:
      noAlt.length === 0 && insecure.length === 0
        ? `${images.length} images checked`
        : [noAlt.length ? `${noAlt.length} without alt: ${sample(noAlt.map((i) => i.src ?? '?'))}` : '', insecure.length ? `${insecure.length} not https` : '']
            .filter(Boolean)
            .join('; '),
    fix: noAlt.length === 0 && insecure.length === 0 ? undefined : 'Give every image a short description, or drop it.',
  });

  add(lengthCheck('subject', 'Subject', input.subject, SUBJECT_MAX_GRAPHEMES));
  add(lengthCheck('preheader', 'Preheader', input.preheader, PREHEADER_MAX_GRAPHEMES));

  const lint = lintEmailHtml(input.html);
  add({
    id: 'caniemail',
    label: 'Works in Gmail, Outlook and Apple Mail (caniemail)',
    ok: lint.unexpected.length === 0,
    message:
      lint.unexpected.length === 0
        ? `no unexpected gaps (${lint.allowed} known fallbacks, ${lint.partial} partial-support notes)`
        : `${lint.unexpected.length} unsupported: ${sample(lint.unexpected)}`,
    fix: lint.unexpected.length === 0 ? undefined : 'Replace the feature, or add it to the commented allowlist in src/mail/caniemail.ts with its fallback.',
  });

  return { ok: checks.every((c) => c.ok), checks };
}

function lengthCheck(id: string, label: string, value: string, max: number): PresendCheck {
  const n = countGraphemes(value.trim());
  const ok = n > 0 && n <= max;
  return {
    id,
    label: `${label} present and at most ${max} characters`,
    ok,
    message: n === 0 ? 'empty' : `${n} characters`,
    fix: ok ? undefined : n === 0 ? `Write a ${label.toLowerCase()}.` : `Shorten the ${label.toLowerCase()} to ${max} characters.`,
  };
}

function underBase(href: string, base: string | undefined): boolean {
  if (!base) return false;
  const b = base.replace(/\/+$/, '');
  return href === b || href.startsWith(`${b}/`) || href.startsWith(`${b}?`);
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} KB`;
}

function sample(list: string[]): string {
  const shown = list.slice(0, 3).map((s) => (s.length > 80 ? `${s.slice(0, 77)}…` : s));
  return shown.join(', ') + (list.length > 3 ? ` and ${list.length - 3} more` : '');
}
