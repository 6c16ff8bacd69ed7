// The one escape we apply ourselves to text spliced into React-rendered mail must be React's, byte for byte.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../src/mail/escape-html.js';

const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'onmouseover='alert(1)",
  'https://recap.example.com/unsubscribe/x?a=1&b="><script>alert(1)</script>&c=\'',
  '&amp; already escaped &lt;',
  '</mj-text><mj-raw><script>',
  "O'Neil & Sons <ceo@example.com>",
  '<!-- --> <![CDATA[ ]]> `backticks` =equals=',
  '虎嗅 🧑‍💻 \u2028 line separator',
  'nothing to escape here',
  '',
];

/** What React itself writes for `s` as text and as an attribute value. */
function reactWrites(s: string): { text: string; attr: string } {
  const html = renderToStaticMarkup(createElement('a', { title: s }, s));
  const m = /^<a title="([^"]*)">([\s\S]*)<\/a>$/.exec(html);
  if (!m) throw new Error(`unexpected React markup: ${html}`);
  return { attr: m[1], text: m[2] };
}

describe('escapeHtml', () => {
  for (const s of HOSTILE) {
    it(`writes ${JSON.stringify(s)} exactly as React does, in text and in attributes`, () => {
      const react = reactWrites(s);
      expect(escapeHtml(s)).toBe(react.text);
      expect(escapeHtml(s)).toBe(react.attr);
    });
  }

  it('leaves no markup-significant character raw', () => {
    for (const s of HOSTILE) expect(escapeHtml(s)).not.toMatch(/[<>"']|&(?!amp;|lt;|gt;|quot;|#x27;)/);
  });
});
