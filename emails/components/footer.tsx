// The footer every mail ends with: why you get it, the links that let you leave, and the sender's postal line.
import type { ReactElement } from 'react';
import type { IssueViewModel } from '../../src/mail/view-model.js';
import { colors, fonts } from './theme.js';

export interface FooterLink {
  label: string;
  href: string;
}

/** The recap's footer links, shared by both engines so they cannot drift apart. */
export function recapFooterLinks(vm: IssueViewModel): FooterLink[] {
  return [
    { label: 'Manage preferences', href: vm.preferencesUrl },
    { label: 'Unsubscribe', href: vm.unsubscribeUrl },
    { label: 'View in browser', href: vm.archiveUrl },
    { label: 'Past issues', href: vm.archiveIndexUrl },
  ];
}

export interface FooterBlockProps {
  reason: string;
  links: FooterLink[];
  postalAddress: string;
}

const text = {
  margin: '0 0 10px',
  fontSize: '12px',
  lineHeight: '1.6',
  color: colors.muted,
} as const;

/** Plain blocks, so the MJML template can reuse them inside <mj-text>. */
export function FooterBlock({ reason, links, postalAddress }: FooterBlockProps): ReactElement {
  return (
    <>
      <p className="wr-muted" style={text}>
        {reason}
      </p>
      {links.length > 0 ? (
        <p className="wr-muted" style={text}>
          {links.map((l, i) => (
            <span key={l.label}>
              {i > 0 ? ' · ' : null}
              <a href={l.href} className="wr-muted" style={{ color: colors.muted, textDecoration: 'underline' }}>
                {/* no-break spaces keep a link on one line (white-space:nowrap fails in Outlook for Windows) */}
                {l.label.replaceAll(' ', '\u00a0')}
              </a>
            </span>
          ))}
        </p>
      ) : null}
      <p className="wr-muted" style={{ ...text, margin: 0 }}>
        {postalAddress}
      </p>
    </>
  );
}

export function Footer(props: FooterBlockProps): ReactElement {
  return (
    <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} border={0}>
      <tbody>
        <tr>
          <td className="wr-pad" align="center" style={{ padding: '24px 32px 40px', textAlign: 'center', fontFamily: fonts.sans }}>
            <FooterBlock {...props} />
          </td>
        </tr>
      </tbody>
    </table>
  );
}
