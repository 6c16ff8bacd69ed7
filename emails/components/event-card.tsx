// One numbered story: topic chip, linked title, source, and the one-line reason it matters.
import { Fragment, type CSSProperties, type ReactElement } from 'react';
import type { ItemViewModel } from '../../src/mail/view-model.js';
import { colors, fonts, layout } from './theme.js';

const NUMBER_WIDTH = 44;
/** Space above and below each story, inside the cells (Outlook ignores padding on divs). */
const CARD_SPACING = 22;
/** Paper width minus side padding and the number column: the widest an image can be. */
export const CARD_IMAGE_WIDTH = layout.width - 2 * layout.gutter - NUMBER_WIDTH;

const numberStyle: CSSProperties = {
  width: `${NUMBER_WIDTH}px`,
  padding: `${CARD_SPACING + 3}px 0 ${CARD_SPACING}px`,
  fontFamily: fonts.serif,
  fontSize: '22px',
  lineHeight: '1.2',
  fontWeight: 700,
  color: colors.accent,
  verticalAlign: 'top',
};

const chipStyle: CSSProperties = {
  display: 'inline-block',
  padding: '3px 9px',
  borderRadius: '999px',
  backgroundColor: colors.chipBg,
  color: colors.chipInk,
  fontSize: '11px',
  lineHeight: '1.4',
  fontWeight: 700,
  letterSpacing: '0.06em',
  textTransform: 'uppercase',
};

const titleStyle: CSSProperties = {
  margin: '8px 0 4px',
  fontFamily: fonts.serif,
  fontSize: '20px',
  lineHeight: '1.3',
  fontWeight: 700,
  color: colors.ink,
};

const sourceStyle: CSSProperties = {
  margin: '0 0 8px',
  fontSize: '13px',
  lineHeight: '1.5',
  color: colors.muted,
};

const noteStyle: CSSProperties = {
  margin: 0,
  fontSize: '15px',
  lineHeight: '1.6',
  color: colors.body,
};

const imageStyle: CSSProperties = {
  display: 'block',
  width: '100%',
  maxWidth: `${CARD_IMAGE_WIDTH}px`,
  height: 'auto',
  margin: '0 0 14px',
  border: 0,
  borderRadius: '6px',
};

const inkLink: CSSProperties = { color: colors.ink, textDecoration: 'none' };
const mutedLink: CSSProperties = { color: colors.muted, textDecoration: 'underline' };
const accentLink: CSSProperties = { color: colors.accent, textDecoration: 'none', fontWeight: 700 };

const ruleStyle: CSSProperties = { margin: 0, border: 'none', borderTop: `1px solid ${colors.rule}`, height: 0 };

/** The numbered stories with hairlines between them; the caller supplies the side gutter. */
export function EventList({ items }: { items: ItemViewModel[] }): ReactElement {
  return (
    <>
      {items.map((item, i) => (
        <Fragment key={item.position}>
          {i > 0 ? <hr className="wr-rule" style={ruleStyle} /> : null}
          <EventCardBody item={item} />
        </Fragment>
      ))}
    </>
  );
}

export function EventCardBody({ item }: { item: ItemViewModel }): ReactElement {
  return (
    <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} border={0}>
      <tbody>
        <tr>
          <td className="wr-accent wr-num" width={NUMBER_WIDTH} valign="top" style={numberStyle}>
            {item.numberLabel}
          </td>
          <td valign="top" style={{ padding: `${CARD_SPACING}px 0`, fontFamily: fonts.sans }}>
            {item.image ? <img src={item.image.src} alt={item.image.alt} width={CARD_IMAGE_WIDTH} className="wr-img" style={imageStyle} /> : null}
            {item.topicLabel ? (
              <span className="wr-chip" style={chipStyle}>
                {item.topicLabel}
              </span>
            ) : null}
            <h3 className="wr-ink wr-title" style={titleStyle}>
              {item.href ? (
                <a href={item.href} className="wr-ink" style={inkLink}>
                  {item.title}
                </a>
              ) : (
                item.title
              )}
            </h3>
            <p className="wr-muted" style={sourceStyle}>
              {item.sourceHref ? (
                <a href={item.sourceHref} className="wr-muted" style={mutedLink}>
                  {item.sourceName}
                </a>
              ) : (
                item.sourceName
              )}
              {item.href ? (
                <>
                  {' · '}
                  <a href={item.href} className="wr-link" style={accentLink}>
                    Read&nbsp;→
                  </a>
                </>
              ) : null}
            </p>
            {item.note ? (
              <p className="wr-ink" style={noteStyle}>
                {item.note}
              </p>
            ) : null}
          </td>
        </tr>
      </tbody>
    </table>
  );
}
