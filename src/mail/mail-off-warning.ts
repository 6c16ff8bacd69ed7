// The warning that mail is kept in the dev mailbox instead of sent, shown where that is a mistake rather than a local setup.
import type { Config } from '../config.js';

export const MAIL_OFF_WARNING = 'Mail is not being sent: no RESEND_API_KEY; every mail is kept in the dev mailbox.';

/** In development the dev mailbox is the point; in production a missing key silently stops every mail, so say it loudly. */
export function mailOffWarning(config: Pick<Config, 'env' | 'resendApiKey'>): string | null {
  return config.env === 'production' && !config.resendApiKey ? MAIL_OFF_WARNING : null;
}
