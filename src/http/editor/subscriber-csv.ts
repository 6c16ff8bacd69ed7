// CSV in and out for the subscribers page: tolerant header names on import, formula-safe cells on export.
import { parse } from 'csv-parse/sync';
import type { ImportRow } from '../../core/subscribers/import-subscribers.js';
import type { SubscriberRow } from '../../db/schema.js';

const ALIASES: Record<string, keyof Omit<ImportRow, 'line'>> = {
  email: 'email',
  'e-mail': 'email',
  email_address: 'email',
  emailaddress: 'email',
  name: 'name',
  full_name: 'name',
  fullname: 'name',
  topics: 'topics',
  consent_source: 'consentSource',
  consentsource: 'consentSource',
  consent: 'consentSource',
};

export type ParsedCsv = { ok: true; rows: ImportRow[] } | { ok: false; message: string };

export function parseImportCsv(text: string): ParsedCsv {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (e) {
    return { ok: false, message: `The file is not valid CSV: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (records.length === 0) return { ok: false, message: 'The file is empty.' };
  const header = records[0].map((h) => ALIASES[h.trim().toLowerCase().replace(/\s+/g, '_')]);
  if (!header.includes('email'))
    return { ok: false, message: 'The first row must be a header with an "email" column (optional: name, topics, consent_source).' };
  const rows = records.slice(1).map((cells, i) => {
    const row: ImportRow = { line: i + 2, email: '' };
    header.forEach((key, col) => {
      const v = cells[col] ?? '';
      if (key === 'topics')
        row.topics = v
          .split(/[;|,\s]+/)
          .map((t) => t.trim().toLowerCase())
          .filter(Boolean);
      else if (key) row[key] = v;
    });
    return row;
  });
  return { ok: true, rows };
}

export function topicsOf(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

export const EXPORT_COLUMNS = ['email', 'name', 'status', 'topics', 'source', 'created_at', 'confirmed_at', 'unsubscribed_at'] as const;

/** Quotes when needed and defuses cells a spreadsheet would run as a formula. */
export function csvCell(v: string | null | undefined): string {
  let s = v ?? '';
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(r: SubscriberRow): string {
  const topics = topicsOf(r.topics).join(';');
  return `${[r.email, r.name, r.status, topics, r.source, r.created_at, r.confirmed_at, r.unsubscribed_at].map(csvCell).join(',')}\r\n`;
}
