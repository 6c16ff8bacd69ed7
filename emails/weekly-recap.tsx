// The Weekly AI Recap (React Email): masthead, greeting and intro, numbered story cards, footer.
import type { ReactElement } from 'react';
import type { IssueViewModel } from '../src/mail/view-model.js';
import { IntroBlock, MastheadBlock, SectionHeading } from './components/blocks.js';
import { EventList } from './components/event-card.js';
import { Footer, recapFooterLinks } from './components/footer.js';
import { EmailLayout } from './components/layout.js';
import { PaperRow, Topline } from './components/paper-row.js';
import { sampleIssueViewModel } from './fixtures/weekly-recap-view-model.js';

export interface WeeklyRecapEmailProps {
  vm: IssueViewModel;
}

export default function WeeklyRecapEmail({ vm }: WeeklyRecapEmailProps): ReactElement {
  return (
    <EmailLayout
      lang={vm.lang}
      title={vm.subject}
      preheader={vm.preheader}
      topline={<Topline href={vm.archiveUrl} label="View in browser" />}
      footer={<Footer reason={vm.reason} links={recapFooterLinks(vm)} postalAddress={vm.postalAddress} />}
    >
      <PaperRow top={32}>
        <MastheadBlock brand={vm.brand} kickerText={vm.weekLabel} href={vm.siteUrl} />
      </PaperRow>
      <PaperRow top={24} bottom={8}>
        <IntroBlock greetingName={vm.greetingName} introHtml={vm.introHtml} pickedFor={vm.pickedFor} preferencesUrl={vm.preferencesUrl} />
      </PaperRow>
      <PaperRow top={12}>
        <SectionHeading>{vm.storiesHeading}</SectionHeading>
      </PaperRow>
      <PaperRow bottom={8}>
        <EventList items={vm.items} />
      </PaperRow>
    </EmailLayout>
  );
}

// A literal, so the sender loading this file builds nothing for the preview tool (test/email-preview-fixtures.test.ts).
export const PreviewProps: WeeklyRecapEmailProps = { vm: sampleIssueViewModel };
WeeklyRecapEmail.PreviewProps = PreviewProps;
