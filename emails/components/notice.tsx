// The body of a short transactional mail: a heading, a few paragraphs, one button and its fallback link.
import type { ReactElement, ReactNode } from 'react';
import { ButtonLink, Paragraph, TextLink } from './blocks.js';
import { PaperRow } from './paper-row.js';
import { colors, fonts } from './theme.js';

export interface NoticeProps {
  heading: string;
  children: ReactNode;
  action?: { label: string; href: string };
  /** Shown under the button: the raw link, for clients that break buttons. */
  fallbackLink?: boolean;
  after?: ReactNode;
}

export function Notice({ heading, children, action, fallbackLink = true, after }: NoticeProps): ReactElement {
  return (
    <>
      <PaperRow top={20}>
        <h2 className="wr-ink" style={{ margin: '0 0 14px', fontFamily: fonts.serif, fontSize: '24px', lineHeight: '1.3', fontWeight: 700, color: colors.ink }}>
          {heading}
        </h2>
        {children}
      </PaperRow>
      {action ? (
        <PaperRow top={8} bottom={8}>
          <ButtonLink href={action.href}>{action.label}</ButtonLink>
        </PaperRow>
      ) : null}
      {action && fallbackLink ? (
        <PaperRow top={16}>
          <Paragraph muted>
            Button not working? Paste this link into your browser:
            <br />
            <TextLink href={action.href} muted>
              {action.href}
            </TextLink>
          </Paragraph>
        </PaperRow>
      ) : null}
      <PaperRow top={after ? 8 : 0} bottom={24}>
        {after}
      </PaperRow>
    </>
  );
}
