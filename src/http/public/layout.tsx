/** @jsxImportSource hono/jsx */
// The frame every public page shares (header, main landmark, footer) and how a page is sent:
// doctype, security headers, and no caching or referrers for pages whose URL holds a personal token.
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { assetUrl } from '../assets/asset-routes.js';

export const BRAND = 'Weekly AI Recap';

export interface LayoutProps {
  title: string;
  current?: 'home' | 'archive';
  description?: string;
  postalAddress?: string;
  children?: Child;
}

export function Layout({ title, current, description, postalAddress, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{title === BRAND ? BRAND : `${title} · ${BRAND}`}</title>
        {description ? <meta name="description" content={description} /> : null}
        <link rel="icon" href={assetUrl('favicon.svg')} type="image/svg+xml" />
        <link rel="stylesheet" href={assetUrl('public.css')} />
        <link rel="alternate" type="application/atom+xml" title={`${BRAND} archive`} href="/feed.xml" />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <a class="brand" href="/">
            Weekly <span>AI</span> Recap
          </a>
          <nav aria-label="Site">
            <ul>
              <li>
                <a href="/" aria-current={current === 'home' ? 'page' : undefined}>
                  Subscribe
                </a>
              </li>
              <li>
                <a href="/archive" aria-current={current === 'archive' ? 'page' : undefined}>
                  Archive
                </a>
              </li>
              <li>
                <a href="/feed.xml">Feed</a>
              </li>
            </ul>
          </nav>
        </header>
        <main id="main" tabindex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <p>
            {BRAND}: one short mail a week · <a href="/archive">Past issues</a> · <a href="/feed.xml">Atom feed</a>
          </p>
          {postalAddress ? <p>{postalAddress}</p> : null}
        </footer>
      </body>
    </html>
  );
}

export interface SendOptions {
  status?: ContentfulStatusCode;
  /** The URL carries a personal token: keep it out of caches, referrers and search engines. */
  personal?: boolean;
  /** Extra script sources for pages that need their enhancement script. */
  script?: boolean;
}

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https: data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(c: Context, personal: boolean) {
  c.header('X-Content-Type-Options', 'nosniff');
  // Token URLs may be sent to ourselves (form posts carry a real Origin then), never to anyone else.
  c.header('Referrer-Policy', personal ? 'same-origin' : 'strict-origin-when-cross-origin');
  c.header('X-Frame-Options', 'DENY');
  if (personal) {
    c.header('Cache-Control', 'no-store');
    c.header('X-Robots-Tag', 'noindex, nofollow');
  }
}

export async function sendPage(c: Context, page: Child, opts: SendOptions = {}): Promise<Response> {
  securityHeaders(c, opts.personal ?? false);
  c.header('Content-Security-Policy', CSP);
  const body = await (page as { toString(): string | Promise<string> }).toString();
  return c.html(`<!doctype html>${body}`, opts.status ?? 200);
}
