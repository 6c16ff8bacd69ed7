// Renders an issue once per engine, with per-recipient placeholders left in for personalize().
import { createElement } from 'react';
import { render } from '@react-email/render';
import WeeklyRecapEmail from '../../emails/weekly-recap.js';
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
  return { html: await render(createElement(WeeklyRecapEmail, { vm })), text };
}
