// Renders an issue once per engine, with per-recipient placeholders left in for personalize().
import { renderIssueText } from './text.js';
import type { IssueViewModel } from './view-model.js';

export type MailEngine = 'react' | 'mjml';

export interface RenderedMail {
  html: string;
  text: string;
}

export async function renderIssue(vm: IssueViewModel, engine: MailEngine = 'react'): Promise<RenderedMail> {
  const text = renderIssueText(vm);
  if (engine === 'mjml') {
    // Loaded on demand: the full mjml package is heavy and does not run on Workers.
    const { renderIssueMjml } = await import('./render-mjml.js');
    return { html: await renderIssueMjml(vm), text };
  }
  // Loaded on first use too: an issue is rendered once per send, and a process that only sends stored snapshots
  // should not carry React and React Email in its heap (and through every garbage collection) for that.
  const [{ createElement }, { render }, { default: WeeklyRecapEmail }] = await Promise.all([
    import('react'),
    import('@react-email/render'),
    import('../../emails/weekly-recap.js'),
  ]);
  return { html: await render(createElement(WeeklyRecapEmail, { vm })), text };
}
