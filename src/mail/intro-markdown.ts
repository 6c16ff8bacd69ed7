// The editor's intro is Markdown: rendered to mail-safe HTML (no raw HTML, http(s)/mailto links only, inline styles).
import MarkdownIt from 'markdown-it';
import { toPlainText } from '@react-email/render';
import { addUtm, isUnderBase, safeHttpUrl, type UtmTags } from './links.js';
import { neutralizePlaceholders } from './placeholders.js';

export interface IntroStyle {
  paragraph: string;
  link: string;
  list: string;
  listItem: string;
  blockquote: string;
}

export interface RenderedIntro {
  html: string;
  text: string;
}

function createMarkdown() {
  const md = new MarkdownIt('default', { html: false, linkify: true, typographer: true, breaks: false });
  // Headings, images, tables and code blocks have no place in a short intro and are hard to style across clients.
  md.disable(['heading', 'lheading', 'image', 'table', 'code', 'fence', 'hr', 'html_block', 'html_inline']);
  // Bare "example.com" would become an http:// link; only explicit URLs turn into links.
  md.linkify.set({ fuzzyLink: false, fuzzyEmail: false });
  md.validateLink = (url) => /^(https?:\/\/|mailto:)/i.test(url.trim());
  return md;
}

const md = createMarkdown();

const CLASS_BY_TAG: Record<string, string> = {
  p: 'wr-ink',
  a: 'wr-link',
  ul: 'wr-ink',
  ol: 'wr-ink',
  li: 'wr-ink',
  blockquote: 'wr-muted wr-rule',
};

/** Renders Markdown to inline-styled HTML plus its plain-text twin; links outside `publicUrl` get UTM tags. */
export function renderIntroMarkdown(source: string, opts: { style: IntroStyle; utm: UtmTags; publicUrl: string }): RenderedIntro | null {
  const clean = neutralizePlaceholders(source).trim();
  if (!clean) return null;
  const env = {};
  const tokens = md.parse(clean, env);
  const styleByTag: Record<string, string> = {
    p: opts.style.paragraph,
    a: opts.style.link,
    ul: opts.style.list,
    ol: opts.style.list,
    li: opts.style.listItem,
    blockquote: opts.style.blockquote,
  };
  const visit = (list: typeof tokens) => {
    for (const t of list) {
      if (t.nesting === 1 && styleByTag[t.tag]) {
        t.attrSet('style', styleByTag[t.tag]);
        t.attrSet('class', CLASS_BY_TAG[t.tag]);
      }
      if (t.type === 'link_open') {
        const href = String(t.attrGet('href') ?? '');
        const web = safeHttpUrl(href);
        if (web) t.attrSet('href', isUnderBase(web, opts.publicUrl) ? web : addUtm(web, opts.utm));
        else if (!/^mailto:/i.test(href)) t.attrSet('href', '#'); // unreachable given validateLink; belt and braces
      }
      if (t.children) visit(t.children);
    }
  };
  visit(tokens);
  const html = md.renderer.render(tokens, md.options, env).trim();
  const text = toPlainText(html, {
    selectors: [
      { selector: 'a', options: { linkBrackets: ['(', ')'], hideLinkHrefIfSameAsText: true } },
      { selector: 'p', options: { leadingLineBreaks: 1, trailingLineBreaks: 2 } },
    ],
  }).trim();
  return { html, text };
}
