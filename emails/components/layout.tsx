// The frame every mail shares: lang, colour-scheme metas, head CSS, hidden preheader, page background and paper.
import type { ReactElement, ReactNode } from 'react';
import { Body } from '@react-email/body';
import { Container } from '@react-email/container';
import { Head } from '@react-email/head';
import { Html } from '@react-email/html';
import { Preheader } from './preheader.js';
import { colors, fonts, headCss, layout } from './theme.js';

export interface EmailLayoutProps {
  lang: string;
  title: string;
  preheader: string;
  children: ReactNode;
  /** Sits under the paper, on the page background. */
  footer: ReactNode;
  /** Small links above the paper ("View in browser"). */
  topline?: ReactNode;
}

export function EmailLayout({ lang, title, preheader, children, footer, topline }: EmailLayoutProps): ReactElement {
  return (
    <Html lang={lang} dir="ltr">
      <Head>
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="supported-color-schemes" content="light dark" />
        <meta name="format-detection" content="telephone=no,date=no,address=no,email=no,url=no" />
        <title>{title}</title>
        <style>{headCss}</style>
      </Head>
      <Body className="wr-bg" style={{ margin: 0, padding: 0, backgroundColor: colors.page, fontFamily: fonts.sans, wordBreak: 'break-word' }}>
        <Preheader text={preheader} />
        <Container className="wr-bg" style={{ width: '100%', maxWidth: `${layout.width}px`, backgroundColor: colors.page }}>
          {topline ?? <div style={{ height: '24px', lineHeight: '24px', fontSize: '1px' }}>&nbsp;</div>}
          <table
            role="presentation"
            width="100%"
            cellPadding={0}
            cellSpacing={0}
            border={0}
            className="wr-paper wr-topbar"
            style={{ backgroundColor: colors.paper, borderTop: `4px solid ${colors.accent}` }}
          >
            <tbody>{children}</tbody>
          </table>
          {footer}
        </Container>
      </Body>
    </Html>
  );
}
