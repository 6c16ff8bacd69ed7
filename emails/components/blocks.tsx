// Content blocks shared by the React Email and MJML templates: each renders plain inline-styled HTML,
// so the MJML version can drop them into <mj-text> and both engines show the same thing.
import type { CSSProperties, ReactElement, ReactNode } from 'react';
import { colors, fonts } from './theme.js';

const kicker: CSSProperties = {
  margin: '0 0 8px',
  fontSize: '12px',
  lineHeight: '1.4',
  fontWeight: 700,
  letterSpacing: '0.12em',
  textTransform: 'uppercase',
  color: colors.accent,
};

const brandStyle: CSSProperties = {
  margin: 0,
  fontFamily: fonts.serif,
  fontSize: '36px',
  lineHeight: '1.1',
  fontWeight: 700,
  letterSpacing: '-0.01em',
  color: colors.ink,
};

export function MastheadBlock({ brand, kickerText, href }: { brand: string; kickerText?: string; href: string }): ReactElement {
  return (
    <>
      {kickerText ? (
        <p className="wr-accent" style={kicker}>
          {kickerText}
        </p>
      ) : null}
      <h1 className="wr-ink wr-brand" style={brandStyle}>
        <a href={href} className="wr-ink" style={{ color: colors.ink, textDecoration: 'none' }}>
          {brand}
        </a>
      </h1>
    </>
  );
}

export const paragraph: CSSProperties = {
  margin: '0 0 14px',
  fontSize: '16px',
  lineHeight: '1.6',
  color: colors.body,
};

export function Paragraph({ children, muted }: { children: ReactNode; muted?: boolean }): ReactElement {
  return (
    <p className={muted ? 'wr-muted' : 'wr-ink'} style={muted ? { ...paragraph, fontSize: '14px', color: colors.muted } : paragraph}>
      {children}
    </p>
  );
}

export interface PickedFor {
  label: string;
  topics: string;
}

export function IntroBlock({
  greetingName,
  introHtml,
  pickedFor,
  preferencesUrl,
}: {
  greetingName: string;
  introHtml: string | null;
  pickedFor?: PickedFor | null;
  preferencesUrl?: string;
}): ReactElement {
  return (
    <>
      <Paragraph>{`Hi ${greetingName},`}</Paragraph>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the editor's intro is Markdown rendered with raw HTML off (src/mail/intro-markdown.ts) */}
      {introHtml ? <div dangerouslySetInnerHTML={{ __html: introHtml }} /> : null}
      {pickedFor && preferencesUrl ? <PickedForLine pickedFor={pickedFor} preferencesUrl={preferencesUrl} /> : null}
    </>
  );
}

/** A reader's own edition says so, and how to change it: "Picked for you: Policy, Safety — change topics". */
function PickedForLine({ pickedFor, preferencesUrl }: { pickedFor: PickedFor; preferencesUrl: string }): ReactElement {
  return (
    <Paragraph muted>
      <strong>{pickedFor.label}</strong> {pickedFor.topics} —{' '}
      <TextLink href={preferencesUrl} muted>
        change topics
      </TextLink>
    </Paragraph>
  );
}

export function SectionHeading({ children }: { children: ReactNode }): ReactElement {
  return (
    <h2
      className="wr-muted wr-rule"
      style={{
        margin: 0,
        paddingBottom: '10px',
        borderBottom: `1px solid ${colors.rule}`,
        fontSize: '12px',
        lineHeight: '1.4',
        fontWeight: 700,
        letterSpacing: '0.1em',
        textTransform: 'uppercase',
        color: colors.muted,
      }}
    >
      {children}
    </h2>
  );
}

/** A link that reads as a link in both colour schemes. */
export function TextLink({ href, children, muted }: { href: string; children: ReactNode; muted?: boolean }): ReactElement {
  return (
    <a href={href} className={muted ? 'wr-muted' : 'wr-link'} style={{ color: muted ? colors.muted : colors.accent, textDecoration: 'underline' }}>
      {children}
    </a>
  );
}

/** Bulletproof-enough call to action: a padded link, no images, no VML. */
export function ButtonLink({ href, children }: { href: string; children: ReactNode }): ReactElement {
  return (
    <a
      href={href}
      className="wr-button"
      style={{
        display: 'inline-block',
        padding: '13px 24px',
        borderRadius: '6px',
        backgroundColor: colors.accent,
        color: colors.buttonInk,
        fontSize: '16px',
        fontWeight: 700,
        lineHeight: '1.2',
        textDecoration: 'none',
      }}
    >
      {children}
    </a>
  );
}
