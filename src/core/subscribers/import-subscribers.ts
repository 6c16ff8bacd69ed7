// CSV import by an editor: new addresses start pending and get a confirmation mail, unless the row names
// where consent was given (then they are active at once, with that source on record). Known addresses are never changed.
import { insertConsents } from '../../db/repos/consents.js';
import { findSubscribersByEmailHashes, inTransaction, insertSubscribers } from '../../db/repos/subscribers.js';
import { recordAudit } from '../editors/audit.js';
import type { Deps } from '../deps.js';
import { TOPICS, type Topic } from '../../shared/topics.js';
import { hashEmail, parseSubscribableEmail } from './email-address.js';
import type { SignupService } from './signup.js';
import { newPublicId } from './signup-plan.js';

export const IMPORT_MAX_ROWS = 50_000;
export const IMPORT_FORM_VERSION = 'editor-import';

export interface ImportRow {
  /** 1-based line in the file, for error messages. */
  line: number;
  email: string;
  name?: string | null;
  topics?: string[];
  /** Where and how this person agreed to receive the newsletter (e.g. "conference signup sheet 2026-10"). */
  consentSource?: string | null;
}

export interface ImportReport {
  rows: number;
  pending: number;
  active: number;
  existing: number;
  duplicates: number;
  errors: { line: number; message: string }[];
}

interface Valid {
  email: string;
  hash: string;
  name: string | null;
  topics: Topic[] | undefined;
  consentSource: string | null;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters from untrusted text is what this pattern is for
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;

function validate(row: ImportRow): Omit<Valid, 'hash'> | string {
  const email = parseSubscribableEmail(row.email ?? '');
  if (!email) return `"${(row.email ?? '').slice(0, 80)}" is not a valid address`;
  const unknown = (row.topics ?? []).filter((t) => !(TOPICS as readonly string[]).includes(t));
  if (unknown.length) return `unknown topic(s) ${unknown.join(', ')}; use ${TOPICS.join(', ')}`;
  const name = (row.name ?? '').replace(CONTROL_CHARS, '').trim().slice(0, 100) || null;
  const consentSource = (row.consentSource ?? '').replace(CONTROL_CHARS, '').trim().slice(0, 200) || null;
  return { email, name, topics: row.topics?.length ? (row.topics as Topic[]) : undefined, consentSource };
}

export async function importSubscribers(deps: Deps, signup: SignupService, rows: ImportRow[], actor: string): Promise<ImportReport> {
  const report: ImportReport = { rows: rows.length, pending: 0, active: 0, existing: 0, duplicates: 0, errors: [] };
  if (rows.length > IMPORT_MAX_ROWS) {
    report.errors.push({ line: 0, message: `at most ${IMPORT_MAX_ROWS} rows per import; split the file` });
    return report;
  }
  const seen = new Set<string>();
  const valid: Valid[] = [];
  for (const row of rows) {
    const v = validate(row);
    if (typeof v === 'string') {
      report.errors.push({ line: row.line, message: v });
      continue;
    }
    if (seen.has(v.email)) {
      report.duplicates += 1;
      continue;
    }
    seen.add(v.email);
    valid.push({ ...v, hash: await hashEmail(deps.config.appSecret, v.email) });
  }
  const known = new Set(
    (
      await findSubscribersByEmailHashes(
        deps.db,
        valid.map((v) => v.hash),
      )
    ).map((r) => r.email_hash),
  );
  const fresh = valid.filter((v) => !known.has(v.hash));
  report.existing = valid.length - fresh.length;

  const consented = fresh.filter((v) => v.consentSource);
  if (consented.length) {
    const nowIso = deps.clock.now().toISOString();
    await inTransaction(deps.db, async (trx) => {
      const ids = await insertSubscribers(
        trx,
        consented.map((v) => ({
          email: v.email,
          email_hash: v.hash,
          public_id: newPublicId(),
          name: v.name,
          status: 'active' as const,
          topics: JSON.stringify(v.topics ?? []),
          source: 'import',
          created_at: nowIso,
          updated_at: nowIso,
          confirmed_at: nowIso,
        })),
      );
      await insertConsents(
        trx,
        consented.map((v) => ({
          subscriber_id: ids.get(v.hash)!,
          action: 'import',
          source: `import: ${v.consentSource}`,
          form_version: IMPORT_FORM_VERSION,
          ip_hash: null,
          user_agent: null,
          created_at: nowIso,
        })),
      );
    });
    report.active = consented.length;
  }

  // Without recorded consent: the normal double opt-in, through the same path as the signup form.
  const unconsented = fresh.filter((v) => !v.consentSource);
  for (let i = 0; i < unconsented.length; i += 200) {
    await Promise.all(
      unconsented
        .slice(i, i + 200)
        .map((v) =>
          signup.submit({ email: v.email, name: v.name, topics: v.topics, formVersion: IMPORT_FORM_VERSION }, 'import', { ip: null, userAgent: null }),
        ),
    );
  }
  report.pending = unconsented.length;

  await recordAudit(deps, actor, {
    action: 'subscribers.imported',
    targetType: 'subscribers',
    details: {
      rows: report.rows,
      pending: report.pending,
      active: report.active,
      existing: report.existing,
      duplicates: report.duplicates,
      errors: report.errors.length,
    },
  });
  return report;
}
