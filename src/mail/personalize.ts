// Fills the per-recipient slots of a rendered issue. The template is split into parts once, so each
// recipient costs a few string joins instead of a render; values are escaped so they cannot break the HTML.
import { escapeHtml } from './escape-html.js';
import { truncateGraphemes } from './graphemes.js';
import { KEY_BY_TOKEN_NAME, PLACEHOLDER_PATTERN, type PlaceholderKey } from './placeholders.js';
import type { RenderedMail } from './render.js';

export interface RecipientValues {
  unsubscribeUrl: string;
  preferencesUrl: string;
  name?: string | null;
  /** Reader-mode click suffix for this reader's story links (src/core/issues/click-tokens.ts); absent: none. */
  clickReader?: string;
}

/** Greeting used when the reader gave no name ("Hi there,"). */
export const FALLBACK_NAME = 'there';
const NAME_MAX = 60;

interface CompiledPart {
  /** Static text between slots; `literals.length === slots.length + 1`. */
  literals: string[];
  slots: PlaceholderKey[];
}

/** Fills one recipient's slots; `slots` says which ones the template has (reader-mode click links or not). */
export type Personalizer = ((values: RecipientValues) => RenderedMail) & { slots: ReadonlySet<PlaceholderKey> };

export function compilePersonalization(rendered: RenderedMail): Personalizer {
  const html = splitTemplate(rendered.html);
  const text = splitTemplate(rendered.text);
  const fn = (values: RecipientValues): RenderedMail => {
    const { unsubscribeUrl, preferencesUrl } = values;
    assertHttpUrl(unsubscribeUrl, 'unsubscribeUrl');
    assertHttpUrl(preferencesUrl, 'preferencesUrl');
    const name = cleanName(values.name);
    const clickReader = cleanClickSuffix(values.clickReader);
    const plain: Record<PlaceholderKey, string> = { unsubscribeUrl, preferencesUrl, name, clickReader };
    const escaped: Record<PlaceholderKey, string> = {
      unsubscribeUrl: escapeHtml(unsubscribeUrl),
      preferencesUrl: escapeHtml(preferencesUrl),
      name: escapeHtml(name),
      clickReader,
    };
    return { html: fill(html, escaped), text: fill(text, plain) };
  };
  return Object.assign(fn, { slots: new Set([...html.slots, ...text.slots]) });
}

/** One-off convenience; for many recipients compile once and reuse the returned function. */
export function personalize(rendered: RenderedMail, values: RecipientValues): RenderedMail {
  return compilePersonalization(rendered)(values);
}

function splitTemplate(source: string): CompiledPart {
  const literals: string[] = [];
  const slots: PlaceholderKey[] = [];
  let last = 0;
  for (const m of source.matchAll(PLACEHOLDER_PATTERN)) {
    literals.push(source.slice(last, m.index));
    slots.push(KEY_BY_TOKEN_NAME[m[1]]);
    last = m.index! + m[0].length;
  }
  literals.push(source.slice(last));
  return { literals, slots };
}

function fill(part: CompiledPart, values: Record<PlaceholderKey, string>): string {
  let out = part.literals[0];
  for (let i = 0; i < part.slots.length; i++) out += values[part.slots[i]] + part.literals[i + 1];
  return out;
}

function assertHttpUrl(url: string, field: string): void {
  // Cheap on purpose (this runs per recipient): absolute http(s), no whitespace or control characters.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters from untrusted text is what this pattern is for
  if (typeof url !== 'string' || !/^https?:\/\/[^\s\u0000-\u001f\u007f]+$/i.test(url)) {
    throw new Error(`personalize: ${field} must be an absolute http(s) URL`);
  }
}

/** The suffix goes inside a URL in both parts: only the characters a signed suffix is made of, else nothing. */
function cleanClickSuffix(s: string | undefined): string {
  return s && /^~[A-Za-z0-9._-]{1,120}$/.test(s) ? s : '';
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters from untrusted text is what this pattern is for
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;

function cleanName(name: string | null | undefined): string {
  if (!name) return FALLBACK_NAME;
  const one = name.replace(CONTROL_CHARS, '').replace(/\s+/g, ' ').trim();
  if (!one) return FALLBACK_NAME;
  return truncateGraphemes(one, NAME_MAX);
}
