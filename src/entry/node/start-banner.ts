// What `npm start` prints once it listens: plain lines for a person, the URLs to open and how to get into the workspace.
import type { Config } from '../../config.js';
import type { StartAccess } from '../../core/editors/first-signin.js';

export interface BannerInput {
  config: Pick<Config, 'publicUrl' | 'resendApiKey'>;
  /** The socket's own address (may differ from PUBLIC_URL behind a proxy). */
  listening: { address: string; port: number };
  week: string;
  access: StartAccess;
}

/**
 * Plain text, whatever LOG_FORMAT says: it is read by a person at a terminal, and a JSON line with the URLs in "\n"
 * escapes serves nobody. The sign-in link's line says "Sign-in link for": the one line test/log-scan.test.ts lets
 * through with a token in it.
 */
export function startBanner({ config, listening, week, access }: BannerInput): string {
  const base = config.publicUrl;
  const host = listening.address.includes(':') ? `[${listening.address}]` : listening.address;
  const workspace =
    access.kind === 'link' ? `${access.url}  (Sign-in link for ${access.email}: opens the workspace, works once, for 15 minutes)` : `${base}/editor`;
  const lines = [
    `Weekly AI Recap is running on http://${host}:${listening.port}`,
    `  Signup page:       ${base}/`,
    `  Editor workspace:  ${workspace}`,
    `  Draft preview:     ${base}/editor/issues/${week.toLowerCase()}`,
    `  Health:            ${base}/health`,
    config.resendApiKey ? `  Mail:              sent through Resend` : `  Dev mailbox:       ${base}/editor/mailbox  (no RESEND_API_KEY: mail is kept locally)`,
  ];
  if (access.kind === 'link' && access.created) {
    lines.push(
      `  Editor account:    ${access.email} (admin, created on this first start; add your own: npm run recap -- editors add you@example.com --role admin)`,
    );
  }
  if (access.kind === 'signed-in-before') {
    lines.push(`  Sign in again:     npm run recap -- signin-link ${access.email}  (or ask at ${base}/editor/signin: the link is printed here)`);
  }
  if (access.kind === 'no-editor') {
    lines.push(`  Editors:           none yet, nobody can sign in: npm run recap -- editors add you@example.com --role admin (or set EDITOR_EMAILS)`);
  }
  return `${lines.join('\n')}\n`;
}
