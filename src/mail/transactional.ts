// Confirmation, welcome, data-export and editor sign-in mails: rendered per recipient (they are few), HTML and text together.
import { createElement } from 'react';
import { render } from '@react-email/render';
import type { Config } from '../config.js';
import { TOPIC_LABELS, type Topic } from '../shared/topics.js';
import type { SubscriberExport } from '../core/subscribers/personal-data.js';
import ConfirmEmail, { type ConfirmEmailProps } from '../../emails/confirm.js';
import DataExportEmail, { type DataExportEmailProps } from '../../emails/data-export.js';
import SigninEmail, { type SigninEmailProps } from '../../emails/signin.js';
import WelcomeEmail, { type WelcomeEmailProps } from '../../emails/welcome.js';
import { normalizeLine, truncateGraphemes } from './graphemes.js';
import { safeHttpUrl } from './links.js';
import { footerLines } from './text.js';
import { brandFromMailFrom } from './view-model.js';

export interface TransactionalMail {
  subject: string;
  html: string;
  text: string;
}

type MailConfig = Pick<Config, 'publicUrl' | 'postalAddress' | 'mailFrom'>;

// Each mail in two steps: its props (what the template shows, also checked against the template's PreviewProps by
// test/email-preview-fixtures.test.ts), then HTML and text from them.

export function confirmEmailProps(input: { confirmUrl: string; name?: string | null; config: MailConfig }): ConfirmEmailProps {
  const { brand, siteUrl, siteLabel, postalAddress } = siteOf(input.config);
  return {
    brand,
    siteUrl,
    siteLabel,
    greetingName: truncateGraphemes(normalizeLine(input.name), 60) || 'there',
    confirmUrl: requireUrl(input.confirmUrl, 'confirmUrl'),
    preheader: `One click and the ${brand} starts arriving every week.`,
    postalAddress,
  };
}

export async function renderConfirmEmail(input: { confirmUrl: string; name?: string | null; config: MailConfig }): Promise<TransactionalMail> {
  const props = confirmEmailProps(input);
  const { greetingName, confirmUrl } = props;
  const subject = `Confirm your subscription to ${props.brand}`;
  const html = await render(createElement(ConfirmEmail, props));
  const text = [
    `Hi ${greetingName},`,
    '',
    `Please confirm that you want ${props.brand}: one mail a week with the AI stories that mattered and why.`,
    '',
    `Confirm your subscription: ${confirmUrl}`,
    '',
    '————',
    ...footerLines(
      `Someone (hopefully you) asked for ${props.brand} at ${props.siteLabel} with this address. If that was not you, ignore this mail: nothing is sent until the link is clicked.`,
      [],
      props.postalAddress,
    ),
  ].join('\n');
  return { subject, html, text };
}

interface WelcomeInput {
  latestIssueUrl?: string | null;
  preferencesUrl: string;
  unsubscribeUrl: string;
  config: MailConfig;
}

export function welcomeEmailProps(input: WelcomeInput): WelcomeEmailProps {
  const { brand, siteUrl, siteLabel, archiveIndexUrl, postalAddress } = siteOf(input.config);
  return {
    brand,
    siteUrl,
    siteLabel,
    archiveIndexUrl,
    latestIssueUrl: safeHttpUrl(input.latestIssueUrl),
    preferencesUrl: requireUrl(input.preferencesUrl, 'preferencesUrl'),
    unsubscribeUrl: requireUrl(input.unsubscribeUrl, 'unsubscribeUrl'),
    preheader: 'One short mail a week with the AI stories that mattered.',
    postalAddress,
  };
}

export async function renderWelcomeEmail(input: WelcomeInput): Promise<TransactionalMail> {
  const props = welcomeEmailProps(input);
  const { latestIssueUrl, preferencesUrl, unsubscribeUrl } = props;
  const subject = `Welcome to ${props.brand}`;
  const html = await render(createElement(WelcomeEmail, props));
  const text = [
    'You are in. Welcome!',
    '',
    'Every week you will get one short mail: the AI stories that mattered, each with a line on why it matters to you.',
    '',
    ...(latestIssueUrl ? [`Read the latest issue: ${latestIssueUrl}`, ''] : []),
    `Choose topics or pause: ${preferencesUrl}`,
    `Past issues: ${props.archiveIndexUrl}`,
    '',
    '————',
    ...footerLines(
      `You are getting this because you confirmed your subscription to ${props.brand} at ${props.siteLabel}.`,
      [
        ['Manage preferences', preferencesUrl],
        ['Unsubscribe', unsubscribeUrl],
      ],
      props.postalAddress,
    ),
  ].join('\n');
  return { subject, html, text };
}

export function signinEmailProps(input: { signinUrl: string; config: MailConfig }): SigninEmailProps {
  const { brand, siteUrl, siteLabel, postalAddress } = siteOf(input.config);
  return {
    brand,
    siteUrl,
    siteLabel,
    signinUrl: requireUrl(input.signinUrl, 'signinUrl'),
    preheader: `Your one-time link to the ${brand} editor.`,
    postalAddress,
  };
}

export async function renderSigninEmail(input: { signinUrl: string; config: MailConfig }): Promise<TransactionalMail> {
  const props = signinEmailProps(input);
  const { signinUrl } = props;
  const subject = `Your sign-in link for ${props.brand}`;
  const html = await render(createElement(SigninEmail, props));
  const text = [
    'Your sign-in link',
    '',
    'The link works once and expires soon. Open it on the device where you want to be signed in.',
    '',
    `Sign in to the editor: ${signinUrl}`,
    '',
    'If you did not ask for this, ignore this mail: nobody can sign in without the link.',
    '',
    '————',
    ...footerLines(
      `You are getting this because someone asked to sign in to the ${props.brand} editor at ${props.siteLabel} with this address.`,
      [],
      props.postalAddress,
    ),
  ].join('\n');
  return { subject, html, text };
}

/** A reader's export: a readable summary, then the complete JSON in a <pre> block and in the text part (batch sends carry no attachments). */
export function exportEmailProps(input: { data: SubscriberExport; preferencesUrl: string; config: MailConfig }): DataExportEmailProps {
  const { brand, siteUrl, siteLabel, postalAddress } = siteOf(input.config);
  return {
    brand,
    siteUrl,
    siteLabel,
    preheader: `Everything ${brand} stores about this address.`,
    postalAddress,
    preferencesUrl: requireUrl(input.preferencesUrl, 'preferencesUrl'),
    summary: exportSummary(input.data),
    json: JSON.stringify(input.data, null, 2),
  };
}

export async function renderExportEmail(input: { data: SubscriberExport; preferencesUrl: string; config: MailConfig }): Promise<TransactionalMail> {
  const props = exportEmailProps(input);
  const { preferencesUrl, summary, json } = props;
  const subject = `Your data from ${props.brand}`;
  const html = await render(createElement(DataExportEmail, props));
  const text = [
    'Your data',
    '',
    'Everything we store about this address: a summary first, then the complete export as JSON.',
    '',
    ...summary.map((r) => `${r.label}: ${r.value}`),
    '',
    'Complete export (JSON):',
    '',
    json,
    '',
    'Did not ask for this? Someone opened your preferences link (perhaps from a forwarded mail); the data went only to you.',
    '',
    '————',
    ...footerLines(
      `You are getting this because someone asked for an export of this address's data on its ${props.brand} preferences page at ${props.siteLabel}. It was sent only to this address.`,
      [['Manage preferences', preferencesUrl]],
      props.postalAddress,
    ),
  ].join('\n');
  return { subject, html, text };
}

function exportSummary(data: SubscriberExport): { label: string; value: string }[] {
  const s = data.subscriber;
  const day = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'never');
  const byKind = new Map<string, number>();
  for (const d of data.deliveries) byKind.set(d.kind, (byKind.get(d.kind) ?? 0) + 1);
  const kinds = [...byKind].map(([k, n]) => `${n} ${k}`).join(', ');
  const rows: [string, string][] = [
    ['Address', s.email ?? ''],
    ['Name', s.name ?? '(none given)'],
    ['Status', s.status],
    ['Topics', s.topics.length ? s.topics.map((t) => TOPIC_LABELS[t as Topic] ?? t).join(', ') : 'All topics'],
    ['Paused until', s.pausedUntil ? day(s.pausedUntil) : 'not paused'],
    ['Signed up', day(s.createdAt)],
    ['Confirmed', day(s.confirmedAt)],
    ['Consent records', String(data.consents.length)],
    ['Mails to this address', data.deliveries.length ? `${data.deliveries.length} (${kinds})` : '0'],
    ['Exported', day(data.exportedAt)],
  ];
  return rows.map(([label, value]) => ({ label, value: normalizeLine(value) }));
}

function siteOf(config: MailConfig) {
  const publicUrl = config.publicUrl.replace(/\/+$/, '');
  return {
    brand: brandFromMailFrom(config.mailFrom),
    siteUrl: `${publicUrl}/`,
    siteLabel: new URL(publicUrl).host,
    archiveIndexUrl: `${publicUrl}/archive`,
    postalAddress: normalizeLine(config.postalAddress),
  };
}

function requireUrl(url: string, field: string): string {
  const safe = safeHttpUrl(url);
  if (!safe) throw new Error(`${field} must be an absolute http(s) URL`);
  return safe;
}
