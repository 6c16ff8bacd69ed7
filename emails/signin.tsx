// The editor's magic sign-in link: one button, and a plain warning for the person who did not ask for it.
import type { ReactElement } from 'react';
import { MastheadBlock, Paragraph } from './components/blocks.js';
import { Footer } from './components/footer.js';
import { EmailLayout } from './components/layout.js';
import { Notice } from './components/notice.js';
import { PaperRow } from './components/paper-row.js';

export interface SigninEmailProps {
  brand: string;
  siteUrl: string;
  siteLabel: string;
  signinUrl: string;
  preheader: string;
  postalAddress: string;
}

export default function SigninEmail(p: SigninEmailProps): ReactElement {
  return (
    <EmailLayout
      lang="en"
      title={`Sign in to ${p.brand}`}
      preheader={p.preheader}
      footer={
        <Footer
          reason={`You are getting this because someone asked to sign in to the ${p.brand} editor at ${p.siteLabel} with this address.`}
          links={[]}
          postalAddress={p.postalAddress}
        />
      }
    >
      <PaperRow top={32}>
        <MastheadBlock brand={p.brand} kickerText="Editor" href={p.siteUrl} />
      </PaperRow>
      <Notice
        heading="Your sign-in link"
        action={{ label: 'Sign in to the editor', href: p.signinUrl }}
        after={<Paragraph muted>If you did not ask for this, ignore this mail: nobody can sign in without the link.</Paragraph>}
      >
        <Paragraph>The link works once and expires soon. Open it on the device where you want to be signed in.</Paragraph>
      </Notice>
    </EmailLayout>
  );
}

export const PreviewProps: SigninEmailProps = {
  brand: 'Weekly AI Recap',
  siteUrl: 'https://recap.example.com/',
  siteLabel: 'recap.example.com',
  signinUrl: 'https://recap.example.com/editor/signin/preview-token',
  preheader: 'Your one-time link to the Weekly AI Recap editor.',
  postalAddress: 'Weekly AI Recap · 1 Example Street · 10115 Berlin · Germany',
};
SigninEmail.PreviewProps = PreviewProps;
