// MJML engine: React builds the MJML (escaping every value), mjml2html turns it into mail HTML.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import mjml2html from 'mjml';
import { WeeklyRecapMjml } from '../../emails/mjml/weekly-recap-mjml.js';
import type { IssueViewModel } from './view-model.js';

// MJML drops <mj-raw> inside <mj-head>, so the colour-scheme metas are added to its output (static text only).
const HEAD_METAS =
  '<meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark">' +
  '<meta name="format-detection" content="telephone=no,date=no,address=no,email=no,url=no">';

export async function renderIssueMjml(vm: IssueViewModel): Promise<string> {
  const markup = renderToStaticMarkup(createElement(WeeklyRecapMjml, { vm }));
  const result = await mjml2html(markup, {
    fonts: {}, // no Google Fonts links added behind our back
    validationLevel: 'strict',
    keepComments: false,
    ignoreIncludes: true, // content can never pull in files
  });
  if (result.errors.length > 0) {
    throw new Error(`MJML rejected the recap: ${result.errors.map((e) => e.formattedMessage).join('; ')}`);
  }
  const head = result.html.indexOf('<head>');
  if (head < 0) throw new Error('MJML output has no <head>');
  return result.html.slice(0, head + 6) + HEAD_METAS + result.html.slice(head + 6);
}
