/** @jsxImportSource hono/jsx */
// The issue page's "What readers clicked": the issue's stories ranked by people's clicks (scanners counted apart).
import { issueStats, type IssueStats } from '../../core/issues/click-stats.js';
import type { Deps } from '../../core/deps.js';
import type { IssueView } from '../../core/issues/issue-view.js';

const fmt = (n: number) => n.toLocaleString('en');

/** The stats of an issue that went (or is going) out; null for drafts and scheduled issues. */
export async function clickStatsFor(deps: Pick<Deps, 'db' | 'config'>, view: IssueView): Promise<IssueStats | null> {
  return view.status === 'sending' || view.status === 'sent' ? issueStats(deps, view.id) : null;
}

export function IssueClicksCard({ stats }: { stats: IssueStats | null }) {
  // not sent yet, TRACKING=off, or sent before click measurement: there is nothing to rank
  if (!stats || stats.clicks.perStory.length === 0) return null;
  return (
    <section class="card" aria-labelledby="clicks-h" style="margin-bottom:16px" data-testid="story-clicks">
      <h2 id="clicks-h">
        What readers clicked{' '}
        <span class="muted small">
          {fmt(stats.clicks.total)} clicks · {fmt(stats.clicks.scanners)} by link scanners, counted apart
          {stats.clicks.uniqueReaders === null
            ? ' · no reader is named (aggregate counting)'
            : ` · ${fmt(stats.clicks.uniqueReaders)} readers who agreed to be counted`}
        </span>
      </h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Rank</th>
              <th scope="col">Story</th>
              <th scope="col">Clicks</th>
              <th scope="col">Scanners</th>
            </tr>
          </thead>
          <tbody>
            {stats.clicks.perStory.map((s, i) => (
              <tr data-event-id={String(s.eventId)}>
                <td>{i + 1}</td>
                <td>{s.title}</td>
                <td>{fmt(s.clicks)}</td>
                <td>{fmt(s.scanners)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
