// A reader's own data, mailed to their address (never shown to whoever holds the link): a summary, then everything as JSON.
import type { ReactElement } from 'react';
import { MastheadBlock, Paragraph, SectionHeading, TextLink } from './components/blocks.js';
import { Footer } from './components/footer.js';
import { EmailLayout } from './components/layout.js';
import { Notice } from './components/notice.js';
import { PaperRow } from './components/paper-row.js';
import { colors } from './components/theme.js';

export interface DataExportEmailProps {
  brand: string;
  siteUrl: string;
  siteLabel: string;
  preheader: string;
  postalAddress: string;
  preferencesUrl: string;
  /** Label and value, already worded (src/mail/transactional.ts). */
  summary: { label: string; value: string }[];
  /** The complete export, pretty-printed. */
  json: string;
}

const cell = { padding: '6px 0', fontSize: '14px', lineHeight: '1.5', verticalAlign: 'top', borderBottom: `1px solid ${colors.rule}` } as const;

export default function DataExportEmail(p: DataExportEmailProps): ReactElement {
  return (
    <EmailLayout
      lang="en"
      title={`Your data from ${p.brand}`}
      preheader={p.preheader}
      footer={
        <Footer
          reason={`You are getting this because someone asked for an export of this address's data on its ${p.brand} preferences page at ${p.siteLabel}. It was sent only to this address.`}
          links={[{ label: 'Manage preferences', href: p.preferencesUrl }]}
          postalAddress={p.postalAddress}
        />
      }
    >
      <PaperRow top={32}>
        <MastheadBlock brand={p.brand} href={p.siteUrl} />
      </PaperRow>
      <Notice
        heading="Your data"
        after={
          <Paragraph muted>
            Did not ask for this? Someone opened your preferences link (perhaps from a forwarded mail); the data went only to you. To change or erase it, use
            your <TextLink href={p.preferencesUrl}>preferences page</TextLink>.
          </Paragraph>
        }
      >
        <Paragraph>Everything we store about this address: a summary first, then the complete export as JSON.</Paragraph>
      </Notice>
      <PaperRow bottom={16}>
        <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} border={0}>
          <tbody>
            {p.summary.map((row) => (
              <tr key={row.label}>
                <td className="wr-muted wr-rule" width="40%" style={{ ...cell, paddingRight: '12px', color: colors.muted }}>
                  {row.label}
                </td>
                <td className="wr-ink wr-rule" style={{ ...cell, color: colors.body, wordBreak: 'break-word' }}>
                  {row.value}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </PaperRow>
      <PaperRow top={8} bottom={32}>
        <SectionHeading>Complete export (JSON)</SectionHeading>
        <pre
          className="wr-ink"
          style={{
            margin: '12px 0 0',
            fontFamily: 'Menlo, Consolas, "Courier New", monospace',
            fontSize: '11px',
            lineHeight: '1.45',
            whiteSpace: 'pre-wrap',
            wordBreak: 'break-all',
            color: colors.body,
          }}
        >
          {p.json}
        </pre>
      </PaperRow>
    </EmailLayout>
  );
}

// What exportSubscriberData() returns for a reader with a few mails; the summary is what src/mail makes of it
// (test/email-preview-fixtures.test.ts holds the two together).
const previewExport = {
  exportedAt: '2026-11-30T09:12:00.000Z',
  about: 'Everything Weekly AI Recap stores about this subscription. IP addresses are kept only as keyed hashes.',
  subscriber: {
    email: 'ada@example.com',
    emailHash: 'c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c',
    name: 'Ada',
    status: 'active',
    topics: ['models', 'research'],
    pausedUntil: null,
    source: 'form',
    createdAt: '2026-11-02T18:40:11.000Z',
    updatedAt: '2026-11-02T18:41:02.000Z',
    confirmedAt: '2026-11-02T18:41:02.000Z',
    unsubscribedAt: null,
    lastConfirmationSentAt: '2026-11-02T18:40:11.000Z',
  },
  consents: [
    { action: 'subscribe', source: 'form', formVersion: 'signup-v2', ipHash: 'ab12cd34', userAgent: 'Mozilla/5.0', createdAt: '2026-11-02T18:40:11.000Z' },
    { action: 'confirm', source: 'link', formVersion: null, ipHash: 'ab12cd34', userAgent: 'Mozilla/5.0', createdAt: '2026-11-02T18:41:02.000Z' },
  ],
  deliveries: [
    {
      kind: 'confirm',
      issueId: null,
      status: 'delivered',
      toEmail: 'ada@example.com',
      toName: 'Ada',
      message: null,
      providerId: 're_1',
      error: null,
      createdAt: '2026-11-02T18:40:11.000Z',
      sentAt: '2026-11-02T18:40:12.000Z',
      lastEventAt: '2026-11-02T18:40:14.000Z',
    },
    {
      kind: 'welcome',
      issueId: null,
      status: 'delivered',
      toEmail: 'ada@example.com',
      toName: 'Ada',
      message: null,
      providerId: 're_2',
      error: null,
      createdAt: '2026-11-02T18:41:02.000Z',
      sentAt: '2026-11-02T18:41:03.000Z',
      lastEventAt: '2026-11-02T18:41:05.000Z',
    },
    {
      kind: 'recap',
      issueId: '2026-w48',
      status: 'delivered',
      toEmail: 'ada@example.com',
      toName: 'Ada',
      message: null,
      providerId: 're_3',
      error: null,
      createdAt: '2026-11-30T08:00:00.000Z',
      sentAt: '2026-11-30T08:00:04.000Z',
      lastEventAt: '2026-11-30T08:00:09.000Z',
    },
  ],
};

export const PreviewProps: DataExportEmailProps = {
  brand: 'Weekly AI Recap',
  siteUrl: 'https://recap.example.com/',
  siteLabel: 'recap.example.com',
  preheader: 'Everything Weekly AI Recap stores about this address.',
  postalAddress: 'Weekly AI Recap · 1 Example Street · 10115 Berlin · Germany',
  preferencesUrl: 'https://recap.example.com/preferences/preview-token',
  summary: [
    { label: 'Address', value: 'ada@example.com' },
    { label: 'Name', value: 'Ada' },
    { label: 'Status', value: 'active' },
    { label: 'Topics', value: 'Models, Research' },
    { label: 'Paused until', value: 'not paused' },
    { label: 'Signed up', value: '2026-11-02 18:40 UTC' },
    { label: 'Confirmed', value: '2026-11-02 18:41 UTC' },
    { label: 'Consent records', value: '2' },
    { label: 'Mails to this address', value: '3 (1 confirm, 1 welcome, 1 recap)' },
    { label: 'Exported', value: '2026-11-30 09:12 UTC' },
  ],
  json: JSON.stringify(previewExport, null, 2),
};
DataExportEmail.PreviewProps = PreviewProps;
