// The per-recipient slots left in a rendered issue, so one render serves every recipient.
// Content can never forge a slot: every text and URL going into a template passes neutralizePlaceholders.

export const PLACEHOLDERS = {
  unsubscribeUrl: '%%WR_UNSUBSCRIBE_URL%%',
  preferencesUrl: '%%WR_PREFERENCES_URL%%',
  name: '%%WR_NAME%%',
  /** After each story's /r/ token in reader mode: the consenting reader's signed suffix, or nothing (issue 16). */
  clickReader: '%%WR_CLICK_READER%%',
} as const;

export type PlaceholderKey = keyof typeof PLACEHOLDERS;

/** Matches any slot; the capture is the key in PLACEHOLDERS. */
export const PLACEHOLDER_PATTERN = /%%WR_(UNSUBSCRIBE_URL|PREFERENCES_URL|NAME|CLICK_READER)%%/g;

export const KEY_BY_TOKEN_NAME: Record<string, PlaceholderKey> = {
  UNSUBSCRIBE_URL: 'unsubscribeUrl',
  PREFERENCES_URL: 'preferencesUrl',
  NAME: 'name',
  CLICK_READER: 'clickReader',
};

/**
 * Breaks any `%%WR_` prefix in untrusted text. Greedy `%+` eats the whole run of percent signs,
 * so the result can never re-form the prefix with a neighbouring `%`.
 */
export function neutralizePlaceholders(s: string): string {
  return s.includes('WR_') ? s.replace(/%+WR_/g, 'WR_') : s;
}

export function isPlaceholder(s: string): boolean {
  return s === PLACEHOLDERS.unsubscribeUrl || s === PLACEHOLDERS.preferencesUrl || s === PLACEHOLDERS.name;
}
