// The templates' PreviewProps are plain literals (the sender loads them with the template, so they must cost nothing
// to build), and here they are held to what src/mail would build from the sample data: a preview never drifts from a send.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import ConfirmEmail, { PreviewProps as confirmPreview } from '../emails/confirm.js';
import DataExportEmail, { PreviewProps as exportPreview } from '../emails/data-export.js';
import { sampleConfig, sampleIssueInput } from '../emails/fixtures/sample-issue.js';
import { sampleIssueViewModel } from '../emails/fixtures/weekly-recap-view-model.js';
import { PreviewProps as mjmlPreview } from '../emails/mjml/weekly-recap-mjml.js';
import SigninEmail, { PreviewProps as signinPreview } from '../emails/signin.js';
import WeeklyRecapEmail, { PreviewProps as recapPreview } from '../emails/weekly-recap.js';
import WelcomeEmail, { PreviewProps as welcomePreview } from '../emails/welcome.js';
import type { SubscriberExport } from '../src/core/subscribers/personal-data.js';
import { confirmEmailProps, exportEmailProps, signinEmailProps, welcomeEmailProps } from '../src/mail/transactional.js';
import { buildIssueViewModel } from '../src/mail/view-model.js';

const FIXTURE = fileURLToPath(new URL('../emails/fixtures/weekly-recap-view-model.ts', import.meta.url));

/** A value as TypeScript source in the project's style: single quotes, trailing commas, identifier keys bare. */
function toSource(value: unknown, indent = ''): string {
  const inner = `${indent}  `;
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return `'${JSON.stringify(value).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${inner}${toSource(v, inner)},\n`).join('')}${indent}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : toSource(k));
    // as Biome lays it out: a string that would pass the line width goes on a line of its own
    const entry = ([k, v]: [string, unknown]) => {
      const line = `${inner}${key(k)}: ${toSource(v, inner)},`;
      return typeof v === 'string' && [...line].length > 160 ? `${inner}${key(k)}:\n${inner}  ${toSource(v)},\n` : `${line}\n`;
    };
    return `{\n${entries.map(entry).join('')}${indent}}`;
  }
  throw new Error(`cannot write ${typeof value} as a literal`);
}

function fixtureSource(): string {
  return [
    "// The recap's preview data as a literal: buildIssueViewModel(sampleIssueInput()), written out so that loading the",
    '// templates (the sender does) builds nothing. test/email-preview-fixtures.test.ts fails when it differs from what',
    '// src/mail builds today; UPDATE_FIXTURES=1 npx vitest run --config test/vitest.config.ts test/email-preview-fixtures.test.ts',
    '// rewrites it.',
    "import type { IssueViewModel } from '../../src/mail/view-model.js';",
    '',
    `export const sampleIssueViewModel: IssueViewModel = ${toSource(buildIssueViewModel(sampleIssueInput()))};`,
    '',
  ].join('\n');
}

describe('the recap preview', () => {
  it('is the view model src/mail builds from the sample issue (else: the fresh literal is printed)', () => {
    const fresh = buildIssueViewModel(sampleIssueInput());
    const same = JSON.stringify(sampleIssueViewModel) === JSON.stringify(fresh);
    if (!same && process.env.UPDATE_FIXTURES) writeFileSync(FIXTURE, fixtureSource());
    expect(
      same,
      `emails/fixtures/weekly-recap-view-model.ts differs from buildIssueViewModel(sampleIssueInput()). Rerun with UPDATE_FIXTURES=1 to rewrite it, or paste:\n\n${fixtureSource()}`,
    ).toBe(true);
    // JSON equality above also pins key order (what a reader of the file sees); this pins the values exactly
    expect(sampleIssueViewModel).toEqual(fresh);
  });

  it('is what both engines preview', () => {
    expect(recapPreview.vm).toBe(sampleIssueViewModel);
    expect(WeeklyRecapEmail.PreviewProps).toBe(recapPreview);
    expect(mjmlPreview.vm).toBe(sampleIssueViewModel);
  });

  it('the writer round-trips quotes, backslashes, line breaks and non-ASCII', () => {
    const tricky = { 'a-b': 'it\'s \\ "q" \n \u2028 虎嗅 🤖', n: 1.5, none: null, list: [], nested: { ok: true } };
    expect(new Function(`return ${toSource(tricky)}`)()).toEqual(tricky);
  });
});

describe('the transactional previews', () => {
  const config = sampleConfig;

  it('confirm: what the sender passes the template for the sample reader', () => {
    expect(confirmEmailProps({ confirmUrl: confirmPreview.confirmUrl, name: confirmPreview.greetingName, config })).toEqual(confirmPreview);
    expect(ConfirmEmail.PreviewProps).toBe(confirmPreview);
  });

  it('welcome', () => {
    const input = {
      latestIssueUrl: welcomePreview.latestIssueUrl,
      preferencesUrl: welcomePreview.preferencesUrl,
      unsubscribeUrl: welcomePreview.unsubscribeUrl,
      config,
    };
    expect(welcomeEmailProps(input)).toEqual(welcomePreview);
    expect(WelcomeEmail.PreviewProps).toBe(welcomePreview);
  });

  it('sign-in', () => {
    expect(signinEmailProps({ signinUrl: signinPreview.signinUrl, config })).toEqual(signinPreview);
    expect(SigninEmail.PreviewProps).toBe(signinPreview);
  });

  it('data export: the summary and the JSON are what the sender makes of the export in the JSON', () => {
    const data = JSON.parse(exportPreview.json) as SubscriberExport;
    expect(exportEmailProps({ data, preferencesUrl: exportPreview.preferencesUrl, config })).toEqual(exportPreview);
    expect(DataExportEmail.PreviewProps).toBe(exportPreview);
  });
});
