// caniemail lint (via @jsx-email/doiuse-email) for Gmail, Outlook and Apple Mail, minus the fallbacks we chose.
import { doIUseEmail } from '@jsx-email/doiuse-email';

export const LINT_CLIENTS = ['gmail.*', 'outlook.*', 'apple-mail.*'];

const GMAIL_MOBILE_WEB = ['gmail.mobile-webmail'];
const OUTLOOK_WINDOWS = ['outlook.windows', 'outlook.windows-mail'];

interface Allowed {
  feature: string;
  clients: string[];
  why: string;
}

/**
 * Unsupported features we use on purpose, each with the fallback that makes it acceptable.
 * Anything not listed here fails the check, so a new template feature has to be argued for.
 */
export const CANIEMAIL_ALLOWLIST: Allowed[] = [
  // Head CSS only adds dark mode and phone padding; every colour and size that matters is inline.
  ...['Type selector', 'Class selector', 'ID selector', 'Attribute selector', 'Descendant combinator', 'Child combinator', 'Chaining selectors', '@media'].map(
    (feature) => ({
      feature,
      clients: [...GMAIL_MOBILE_WEB, ...OUTLOOK_WINDOWS],
      why: 'progressive enhancement in <style>; the inline light design is the fallback',
    }),
  ),
  {
    feature: '<body> element',
    clients: ['outlook.macos', 'outlook.ios', 'outlook.android'],
    why: 'body is replaced by a div; the page colour is repeated on the wrapper table',
  },
  // The hidden preheader stacks display:none, opacity:0, max-height:0, overflow:hidden, font-size:1px and
  // mso-hide:all; each client honours at least one of them.
  ...['display:none', 'opacity', 'overflow'].map((feature) => ({
    feature,
    clients: [...GMAIL_MOBILE_WEB, ...OUTLOOK_WINDOWS, 'outlook.android'],
    why: 'one of several redundant preheader-hiding properties',
  })),
  { feature: 'border-radius', clients: OUTLOOK_WINDOWS, why: 'square corners on chips, images and buttons' },
  { feature: 'word-break', clients: ['outlook.windows-mail'], why: 'a very long URL may overflow; nothing is hidden' },
  { feature: 'role attribute', clients: ['outlook.windows-mail'], why: 'role="presentation" only helps screen readers' },
  { feature: 'aria-label attribute', clients: ['outlook.windows-mail'], why: 'MJML labels its wrapper for screen readers' },
  { feature: 'outline', clients: OUTLOOK_WINDOWS, why: "MJML's image reset; Outlook draws no outline anyway" },
  { feature: 'word-spacing', clients: OUTLOOK_WINDOWS, why: "MJML's body reset; normal spacing is the default" },
];

export interface LintResult {
  /** Unsupported features that are not on the allowlist: "`feature` is not supported by `client`". */
  unexpected: string[];
  allowed: number;
  partial: number;
}

const ERROR = /^`(.+)` is not supported by `(.+)`$/;

export function lintEmailHtml(html: string): LintResult {
  const result = doIUseEmail(html, { emailClients: LINT_CLIENTS });
  const errors = result.success ? [] : [...new Set(result.errors)];
  const unexpected: string[] = [];
  let allowed = 0;
  for (const e of errors) {
    const m = ERROR.exec(e);
    const ok = m && CANIEMAIL_ALLOWLIST.some((a) => a.feature === m[1] && a.clients.includes(m[2]));
    if (ok) allowed++;
    else unexpected.push(e);
  }
  return { unexpected, allowed, partial: new Set(result.warnings).size };
}
