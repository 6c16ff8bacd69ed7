// The headers every recap carries, kept apart from rendering: the sender adds them to each mail and must not load
// the renderer (React Email, the caniemail linter, markdown) just for these three lines.
import type { Config } from '../../config.js';

let cached: { publicUrl: string; listId: string } | undefined;

/** `List-Id` names our host; parsed once per public URL, not once per recipient. */
function listIdFor(publicUrl: string): string {
  if (cached?.publicUrl !== publicUrl) cached = { publicUrl, listId: `Weekly AI Recap <weekly-ai-recap.${new URL(publicUrl).hostname}>` };
  return cached.listId;
}

/** Mail headers every recap carries (RFC 8058 one-click unsubscribe, List-Id). */
export function recapHeaders(config: Pick<Config, 'publicUrl'>, unsubscribeUrl: string): Record<string, string> {
  return {
    'List-Unsubscribe': `<${unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'List-Id': listIdFor(config.publicUrl),
  };
}
