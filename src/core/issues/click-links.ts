// The story links of a recap as it is frozen for sending: through GET /r/:token when clicks are measured, with a slot
// for the reader's suffix in reader mode (filled per recipient: src/core/send/build-messages.ts).
import type { Config } from '../../config.js';
import { PLACEHOLDERS } from '../../mail/placeholders.js';
import { signClickToken } from './click-tokens.js';

/** Event id → the href its story gets in this edition; empty when TRACKING=off (the articles are linked directly). */
export async function trackedStoryHrefs(
  config: Pick<Config, 'tracking' | 'publicUrl' | 'appSecret'>,
  issueId: string,
  edition: number,
  eventIds: readonly number[],
): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (config.tracking === 'off') return out;
  const slot = config.tracking === 'reader' ? PLACEHOLDERS.clickReader : '';
  for (const eventId of eventIds) {
    out.set(eventId, `${config.publicUrl}/r/${await signClickToken(config.appSecret, { issueId, edition, eventId })}${slot}`);
  }
  return out;
}
