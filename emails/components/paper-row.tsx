// A full-width row of the paper with the standard side gutter (narrowed on phones by .wr-pad).
import type { ReactElement, ReactNode } from 'react';
import { colors, fonts, layout } from './theme.js';

export function PaperRow({ children, top = 0, bottom = 0 }: { children: ReactNode; top?: number; bottom?: number }): ReactElement {
  return (
    <tr>
      <td className="wr-pad" style={{ padding: `${top}px ${layout.gutter}px ${bottom}px`, fontFamily: fonts.sans }}>
        {children}
      </td>
    </tr>
  );
}

/** "View in browser" above the paper, where readers look for it when images or layout fail. */
export function Topline({ href, label }: { href: string; label: string }): ReactElement {
  return (
    <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} border={0}>
      <tbody>
        <tr>
          <td
            className="wr-pad"
            align="right"
            style={{ padding: `16px ${layout.gutter}px 10px`, textAlign: 'right', fontSize: '12px', lineHeight: '1.4', fontFamily: fonts.sans }}
          >
            <a href={href} className="wr-muted" style={{ color: colors.muted, textDecoration: 'underline' }}>
              {label}
            </a>
          </td>
        </tr>
      </tbody>
    </table>
  );
}
