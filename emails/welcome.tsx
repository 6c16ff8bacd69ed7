// Sent once the address is confirmed: what to expect, where the latest issue is, how to leave.
import type { ReactElement } from 'react';
import { MastheadBlock, Paragraph, TextLink } from './components/blocks.js';
import { Footer } from './components/footer.js';
import { EmailLayout } from './components/layout.js';
import { Notice } from './components/notice.js';
import { PaperRow } from './components/paper-row.js';

export interface WelcomeEmailProps {
  brand: string;
  siteUrl: string;
  siteLabel: string;
  archiveIndexUrl: string;
  latestIssueUrl: string | null;
  preferencesUrl: string;
  unsubscribeUrl: string;
  preheader: string;
  postalAddress: string;
}

export default function WelcomeEmail(p: WelcomeEmailProps): ReactElement {
  return (
    <EmailLayout
      lang="en"
      title={`Welcome to ${p.brand}`}
      preheader={p.preheader}
      footer={
        <Footer
          reason={`You are getting this because you confirmed your subscription to ${p.brand} at ${p.siteLabel}.`}
          links={[
            { label: 'Manage preferences', href: p.preferencesUrl },
            { label: 'Unsubscribe', href: p.unsubscribeUrl },
          ]}
          postalAddress={p.postalAddress}
        />
      }
    >
      <PaperRow top={32}>
        <MastheadBlock brand={p.brand} href={p.siteUrl} />
      </PaperRow>
      <Notice
        heading="You are in. Welcome!"
        action={p.latestIssueUrl ? { label: 'Read the latest issue', href: p.latestIssueUrl } : undefined}
        fallbackLink={false}
        after={
          <Paragraph muted>
            Only want some topics, or need a break? <TextLink href={p.preferencesUrl}>Choose topics or pause</TextLink>. Past issues are in the{' '}
            <TextLink href={p.archiveIndexUrl}>archive</TextLink>.
          </Paragraph>
        }
      >
        <Paragraph>Every week you will get one short mail: the AI stories that mattered, each with a line on why it matters to you. No filler.</Paragraph>
      </Notice>
    </EmailLayout>
  );
}

export const PreviewProps: WelcomeEmailProps = {
  brand: 'Weekly AI Recap',
  siteUrl: 'https://recap.example.com/',
  siteLabel: 'recap.example.com',
  archiveIndexUrl: 'https://recap.example.com/archive',
  latestIssueUrl: 'https://recap.example.com/archive/2026-w48',
  preferencesUrl: 'https://recap.example.com/preferences/preview-token',
  unsubscribeUrl: 'https://recap.example.com/unsubscribe/preview-token',
  preheader: 'One short mail a week with the AI stories that mattered.',
  postalAddress: 'Weekly AI Recap · 1 Example Street · 10115 Berlin · Germany',
};
WelcomeEmail.PreviewProps = PreviewProps;
