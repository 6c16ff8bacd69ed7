// The confirmation mail for a signup, rendered when the sender claims it. React rendering costs milliseconds,
// so the mail is rendered once per site with stand-ins and filled per recipient; a test pins that the result
// is byte-identical to a direct render.
import type { Config } from '../../config.js';
import { escapeHtml } from '../../mail/escape-html.js';
import { normalizeLine, truncateGraphemes } from '../../mail/graphemes.js';
import { safeHttpUrl } from '../../mail/links.js';
import { renderConfirmEmail, type TransactionalMail } from '../../mail/transactional.js';

type MailConfig = Pick<Config, 'publicUrl' | 'postalAddress' | 'mailFrom'>;

const URL_STANDIN = 'https://wr-standin.invalid/confirm/WRCONFIRMSTANDIN';
const NAME_STANDIN = 'WRGREETINGSTANDIN';

interface Template extends TransactionalMail {
  exact: boolean;
}

const templates = new Map<string, Promise<Template>>();

/** Same output as renderConfirmEmail, without a React render per recipient once the template is warm. */
export async function buildConfirmEmail(config: MailConfig, confirmUrl: string, name: string | null): Promise<TransactionalMail> {
  const t = await templateFor(config);
  const url = safeHttpUrl(confirmUrl); // what the renderer itself does to the link
  if (!t.exact || !url) return renderConfirmEmail({ confirmUrl, name, config });
  const greeting = truncateGraphemes(normalizeLine(name), 60) || 'there';
  return {
    subject: t.subject,
    html: t.html.replaceAll(URL_STANDIN, escapeHtml(url)).replaceAll(NAME_STANDIN, escapeHtml(greeting)),
    text: t.text.replaceAll(URL_STANDIN, url).replaceAll(NAME_STANDIN, greeting),
  };
}

function templateFor(config: MailConfig): Promise<Template> {
  const key = `${config.publicUrl}\n${config.postalAddress}\n${config.mailFrom}`;
  let t = templates.get(key);
  if (!t) {
    t = renderConfirmEmail({ confirmUrl: URL_STANDIN, name: NAME_STANDIN, config }).then((m) => ({
      ...m,
      // Stand-ins must appear verbatim and nowhere else be transformed; otherwise render every time.
      exact: m.html.includes(URL_STANDIN) && m.html.includes(NAME_STANDIN) && m.text.includes(URL_STANDIN) && !m.subject.includes(NAME_STANDIN),
    }));
    t.catch(() => templates.delete(key));
    templates.set(key, t);
    if (templates.size > 16) templates.delete(templates.keys().next().value!);
  }
  return t;
}
