// Inbox preview text, hidden in the body. React Email's <Preview> cuts at 150 UTF-16 units and can split an
// emoji; the view model already cut it by grapheme, so this renders it whole.
import type { ReactElement } from 'react';

// Non-breaking space + zero-width non-joiner pairs keep clients from pulling body text into the preview line.
const FILLER = '\u00A0\u200C'.repeat(80);

const hidden = {
  display: 'none',
  overflow: 'hidden',
  lineHeight: '1px',
  opacity: 0,
  maxHeight: 0,
  maxWidth: 0,
  fontSize: '1px',
  msoHide: 'all',
} as const;

export function Preheader({ text }: { text: string }): ReactElement | null {
  if (!text) return null;
  return (
    <div style={hidden} data-skip-in-text="true">
      {text}
      {FILLER}
    </div>
  );
}
