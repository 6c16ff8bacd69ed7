// The Weekly AI Recap as MJML, written in React so every value is escaped by React (MJML escapes nothing).
// It reuses the shared content blocks inside <mj-text>; MJML contributes the responsive, Outlook-safe frame.
// Named export only: React Email's preview tool lists files with a default export, and this is not one of its trees.
import type { ReactElement } from 'react';
import {
  Mjml,
  MjmlAll,
  MjmlAttributes,
  MjmlBody,
  MjmlBreakpoint,
  MjmlColumn,
  MjmlHead,
  MjmlRaw,
  MjmlSection,
  MjmlStyle,
  MjmlText,
  MjmlTitle,
} from '@faire/mjml-react';
import type { IssueViewModel } from '../../src/mail/view-model.js';
import { IntroBlock, MastheadBlock, SectionHeading } from '../components/blocks.js';
import { EventList } from '../components/event-card.js';
import { FooterBlock, recapFooterLinks } from '../components/footer.js';
import { Preheader } from '../components/preheader.js';
import { sampleIssueViewModel } from '../fixtures/weekly-recap-view-model.js';
import { colors, darkColors, fonts, headCss, layout } from '../components/theme.js';

// MJML paints section backgrounds on a div and its inner table, so dark mode has to reach both.
const mjmlDarkCss =
  `@media (prefers-color-scheme:dark){.wr-paper,.wr-paper>table{background:${darkColors.paper}!important;background-color:${darkColors.paper}!important}` +
  `.wr-topbar>table>tbody>tr>td{border-top-color:${darkColors.accent}!important}}` +
  `[data-ogsb] .wr-paper,[data-ogsb] .wr-paper>table{background-color:${darkColors.paper}!important}`;

const pad = `0 ${layout.gutter}px`;

export function WeeklyRecapMjml({ vm }: { vm: IssueViewModel }): ReactElement {
  return (
    <Mjml lang={vm.lang}>
      <MjmlHead>
        <MjmlTitle>{vm.subject}</MjmlTitle>
        <MjmlBreakpoint width="480px" />
        <MjmlAttributes>
          <MjmlAll fontFamily={fonts.sans} />
          <MjmlText padding={pad} color={colors.body} fontSize="16px" lineHeight="1.6" cssClass="wr-pad" />
        </MjmlAttributes>
        <MjmlStyle>{headCss + mjmlDarkCss}</MjmlStyle>
      </MjmlHead>
      <MjmlBody backgroundColor={colors.page} width={layout.width} cssClass="wr-bg">
        <MjmlRaw>
          <Preheader text={vm.preheader} />
        </MjmlRaw>
        <MjmlSection padding="16px 0 10px" cssClass="wr-bg">
          <MjmlColumn>
            <MjmlText align="right" fontSize="12px" lineHeight="1.4">
              <a href={vm.archiveUrl} className="wr-muted" style={{ color: colors.muted, textDecoration: 'underline' }}>
                View in browser
              </a>
            </MjmlText>
          </MjmlColumn>
        </MjmlSection>
        <MjmlSection backgroundColor={colors.paper} borderTop={`4px solid ${colors.accent}`} padding="32px 0 12px" cssClass="wr-paper wr-topbar">
          <MjmlColumn>
            <MjmlText>
              <MastheadBlock brand={vm.brand} kickerText={vm.weekLabel} href={vm.siteUrl} />
            </MjmlText>
            <MjmlText paddingTop="24px" paddingBottom="8px">
              <IntroBlock greetingName={vm.greetingName} introHtml={vm.introHtml} pickedFor={vm.pickedFor} preferencesUrl={vm.preferencesUrl} />
            </MjmlText>
            <MjmlText paddingTop="12px">
              <SectionHeading>{vm.storiesHeading}</SectionHeading>
            </MjmlText>
            <MjmlText>
              <EventList items={vm.items} />
            </MjmlText>
          </MjmlColumn>
        </MjmlSection>
        <MjmlSection padding="24px 0 40px" cssClass="wr-bg">
          <MjmlColumn>
            <MjmlText align="center" fontSize="12px" color={colors.muted}>
              <FooterBlock reason={vm.reason} links={recapFooterLinks(vm)} postalAddress={vm.postalAddress} />
            </MjmlText>
          </MjmlColumn>
        </MjmlSection>
      </MjmlBody>
    </Mjml>
  );
}

export const PreviewProps: { vm: IssueViewModel } = { vm: sampleIssueViewModel };
