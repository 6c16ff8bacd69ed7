// Double opt-in: the one mail that must be clear, short and obviously safe to ignore.
import type { ReactElement } from 'react';
import { MastheadBlock, Paragraph } from './components/blocks.js';
import { Footer } from './components/footer.js';
import { EmailLayout } from './components/layout.js';
import { Notice } from './components/notice.js';
import { PaperRow } from './components/paper-row.js';

export interface ConfirmEmailProps {
  brand: string;
  siteUrl: string;
  siteLabel: string;
  greetingName: string;
  confirmUrl: string;
  preheader: string;
  postalAddress: string;
}

export default function ConfirmEmail(p: ConfirmEmailProps): ReactElement {
  return (
    <EmailLayout
      lang="en"
      title={`Confirm your subscription to ${p.brand}`}
      preheader={p.preheader}
      footer={
        <Footer
          reason={`Someone (hopefully you) asked for ${p.brand} at ${p.siteLabel} with this address. If that was not you, ignore this mail: nothing is sent until the link is clicked.`}
          links={[]}
          postalAddress={p.postalAddress}
        />
      }
    >
      <PaperRow top={32}>
        <MastheadBlock brand={p.brand} href={p.siteUrl} />
      </PaperRow>
      <Notice heading="One click to confirm" action={{ label: 'Yes, subscribe me', href: p.confirmUrl }}>
        <Paragraph>{`Hi ${p.greetingName},`}</Paragraph>
        <Paragraph>
          Please confirm that you want {p.brand}: one mail a week with the AI stories that mattered and why. You can change topics or leave at any time.
        </Paragraph>
      </Notice>
    </EmailLayout>
  );
}

export const PreviewProps: ConfirmEmailProps = {
  brand: 'Weekly AI Recap',
  siteUrl: 'https://recap.example.com/',
  siteLabel: 'recap.example.com',
  greetingName: 'Ana',
  confirmUrl: 'https://recap.example.com/confirm/preview-token',
  preheader: 'One click and the Weekly AI Recap starts arriving every week.',
  postalAddress: 'Weekly AI Recap · 1 Example Street · 10115 Berlin · Germany',
};
ConfirmEmail.PreviewProps = PreviewProps;
