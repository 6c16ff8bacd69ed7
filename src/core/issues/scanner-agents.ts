// Which clicks are machines: link scanners of mail gateways and security tools open every link of a mail, usually
// within seconds of delivery and often with HEAD. They still get the redirect but are counted apart.

/** Seconds after delivery (reader mode) or after the send started (aggregate) within which a click is a scanner's. */
export const SCANNER_WINDOW_MS = 30_000;

/** A short list, each with why: what we have seen open links that no person opened. */
export const SCANNER_AGENTS: readonly { pattern: RegExp; reason: string }[] = [
  { pattern: /\b(bot|crawler|spider|slurp)\b|bot\//i, reason: 'self-declared robots (Googlebot, bingbot, …)' },
  { pattern: /proofpoint|urldefense|ppops/i, reason: 'Proofpoint URL Defense rewrites and pre-fetches every link' },
  { pattern: /mimecast/i, reason: "Mimecast's URL protection scans links on delivery" },
  { pattern: /barracuda/i, reason: 'Barracuda link protection' },
  { pattern: /safelinks|microsoft office|ms-office|msoffice|outlook-safelinks/i, reason: 'Microsoft Defender Safe Links and Office link previews' },
  { pattern: /google-safety|googleimageproxy|feedfetcher/i, reason: "Google's safety scanner and image proxy" },
  { pattern: /headlesschrome|phantomjs|python-requests|python-urllib|curl\/|wget\/|go-http-client|okhttp|java\//i, reason: 'scripts and headless browsers' },
  { pattern: /slackbot|twitterbot|facebookexternalhit|discordbot|whatsapp|telegrambot|linkedinbot|skypeuripreview/i, reason: 'chat link previews' },
];

export type ScannerReason = 'head' | 'no-user-agent' | 'agent' | 'too-soon';

/** Why this request looks like a machine, or null for a person. */
export function scannerReason(req: { method: string; userAgent: string | undefined; sinceAcceptedMs: number | null }): ScannerReason | null {
  if (req.method === 'HEAD') return 'head';
  const ua = req.userAgent?.trim();
  // every browser sends one; gateways fetching links often do not
  if (!ua) return 'no-user-agent';
  if (SCANNER_AGENTS.some((a) => a.pattern.test(ua))) return 'agent';
  if (req.sinceAcceptedMs !== null && req.sinceAcceptedMs < SCANNER_WINDOW_MS) return 'too-soon';
  return null;
}
