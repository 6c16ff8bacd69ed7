/** @jsxImportSource hono/jsx */
// What every issue page shares: breadcrumbs, title, status and the Curate / Preview / Schedule & send tabs.
import type { IssueView } from '../../core/issues/issue-view.js';
import { weekLabel } from '../../core/issues/iso-week.js';
import type { PageOptions } from './layout.js';
import { Badge } from './layout.js';

export type IssueTab = 'curate' | 'preview' | 'send';

export const EDITABLE_STATUSES = ['draft', 'scheduled'];

/** Title: the week; subtitle: status and the subject readers will see. */
export function issueHeader(view: IssueView, title?: string): PageOptions {
  return {
    title: title ?? `Week ${Number(view.week.split('-W')[1])} · ${weekLabel(view.week)}`,
    section: 'issues',
    crumbs: [['Issues', '/editor/issues'], [view.week]],
    subtitle: (
      <>
        <Badge status={view.status} /> <span style="margin-left:6px;color:var(--ink-2)">{view.subject}</span>
      </>
    ),
  };
}

export function IssueTabs({ view, tab }: { view: IssueView; tab: IssueTab }) {
  const base = `/editor/issues/${view.id}`;
  const tabs: [IssueTab, string, string][] = [
    ['curate', 'Curate', base],
    ['preview', 'Preview & checks', `${base}/preview`],
    ['send', view.status === 'sending' || view.status === 'sent' ? 'Delivery' : 'Schedule & send', `${base}/send`],
  ];
  return (
    <nav class="tabs" aria-label="Issue">
      {tabs.map(([t, label, href]) => (
        <a href={href} aria-current={t === tab ? 'page' : undefined}>
          {label}
        </a>
      ))}
    </nav>
  );
}

export function ReadOnlyNote({ view }: { view: IssueView }) {
  if (EDITABLE_STATUSES.includes(view.status)) return null;
  return (
    <div class="flash info" role="status">
      This issue is {view.status}; its content can no longer be changed.
      {view.status === 'canceled' || view.status === 'failed' ? ' Reopen it from the "Schedule & send" tab to edit it again.' : ''}
    </div>
  );
}
