// Plain-text parts written from the view model, not scraped from HTML: readable, no hidden preheader,
// no shouted headings, every title followed by its link.
import type { IssueViewModel } from './view-model.js';

const RULE = '————————————————————';

export function renderIssueText(vm: IssueViewModel): string {
  const out: string[] = [];
  out.push(`${vm.brand} — ${vm.weekLabel}`, `View in your browser: ${vm.archiveUrl}`, '');
  out.push(`Hi ${vm.greetingName},`, '');
  if (vm.introText) out.push(vm.introText, '');
  if (vm.pickedFor) out.push(`${vm.pickedFor.label} ${vm.pickedFor.topics} — change topics: ${vm.preferencesUrl}`, '');
  out.push(vm.storiesHeading, RULE, '');
  for (const item of vm.items) {
    const indent = ' '.repeat(String(item.position).length + 2); // aligns under the title after "12. "
    out.push(`${item.position}. ${item.title}`);
    const meta = [item.topicLabel, item.sourceName].filter(Boolean).join(' · ');
    if (meta) out.push(indent + meta);
    if (item.note) out.push(indent + item.note);
    if (item.href) out.push(indent + item.href);
    out.push('');
  }
  out.push(
    RULE,
    ...footerLines(
      vm.reason,
      [
        ['Manage preferences', vm.preferencesUrl],
        ['Unsubscribe', vm.unsubscribeUrl],
        ['Past issues', vm.archiveIndexUrl],
      ],
      vm.postalAddress,
    ),
  );
  return out.join('\n');
}

export function footerLines(reason: string, links: Array<[string, string]>, postalAddress: string): string[] {
  return [reason, ...links.map(([label, url]) => `${label}: ${url}`), '', postalAddress, ''];
}
