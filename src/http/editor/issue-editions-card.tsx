/** @jsxImportSource hono/jsx */
// The send tab's list of editions (name, readers, stories) and their pre-send checks, which block a send by edition name.
import type { Context } from 'hono';
import type { Deps } from '../../core/deps.js';
import { checkIssueEditions, listIssueEditions, type EditionSummary, type EditionsCheckReport } from '../../core/issues/issue-editions.js';
import type { IssueView } from '../../core/issues/issue-view.js';
import { fmtNum } from './format.js';
import type { EditorEnv } from './session.js';

/**
 * checkIssueEditions renders every edition (tens of ms each), so the page runs it by itself only for a few editions;
 * with more, the editor asks for it (?checks=all). A cache keyed by the issue was not safe: item edits and event
 * updates do not touch issues.updated_at. Send and schedule always check afresh, so a skipped check never lets a
 * failing edition out.
 */
export const INLINE_CHECK_LIMIT = 12;

/** The editions a send would check: the default one always, the others when someone would get them. */
export function checkedCount(editions: EditionSummary[]): number {
  return editions.filter((e) => e.edition === 0 || e.readers > 0).length;
}

/** The message that blocks the send, naming the edition (the same words requireEditionsPass uses). */
export function failingMessage(r: EditionsCheckReport): string | null {
  const bad = r.editions.find((e) => !e.report.ok);
  if (!bad) return null;
  const which = bad.name === 'Default edition' ? 'the default edition' : `the “${bad.name}” edition`;
  return `Pre-send checks fail for ${which}: ${bad.report.checks
    .filter((k) => !k.ok)
    .map((k) => k.message)
    .join('; ')}. Fix it (Preview tab, as a reader of those topics) before sending or scheduling.`;
}

export function EditionsCard(props: { editions: EditionSummary[]; checks: EditionsCheckReport | null; checksHref: string | null; frozen: boolean }) {
  const byEdition = new Map((props.checks?.editions ?? []).map((e) => [e.edition, e]));
  const n = checkedCount(props.editions);
  return (
    <section class="card" aria-labelledby="editions-h" data-testid="editions">
      <h2 id="editions-h">
        {props.frozen ? 'Editions sent' : 'Editions that will go out'} <span class="muted small">({props.editions.length})</span>
        {props.checks ? props.checks.ok ? <span class="badge sent">checks pass</span> : <span class="badge failed">checks fail</span> : null}
      </h2>
      <p class="small muted">
        Readers with topics get the lead stories, then the best of their topics from the week's pool.
        {props.checks ? (
          <>
            {' '}
            Largest mail: <strong data-testid="largest-size">{(props.checks.largestBytes / 1000).toFixed(1)} KB</strong> HTML (Gmail clips above ~102 KB).
          </>
        ) : null}
      </p>
      {props.checksHref ? (
        <p class="small">
          Pre-send checks render every edition, so with {n} editions they run when you ask. <a href={props.checksHref}>Run the checks on all {n} editions</a>{' '}
          (sending and scheduling always run them).
        </p>
      ) : null}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Edition</th>
              <th scope="col" style="text-align:right">
                Readers
              </th>
              <th scope="col">Stories</th>
              <th scope="col">Checks</th>
            </tr>
          </thead>
          <tbody>
            {props.editions.map((e) => {
              const check = byEdition.get(e.edition);
              return (
                <tr data-edition={String(e.edition)} data-edition-name={e.name}>
                  <th scope="row" style="font-weight:600">
                    {e.name}
                  </th>
                  <td style="text-align:right" data-readers>
                    {fmtNum(e.readers)}
                  </td>
                  <td>
                    <details>
                      <summary>
                        {e.items.length} {e.items.length === 1 ? 'story' : 'stories'}
                      </summary>
                      <ol class="small" style="margin:6px 0 0;padding-left:18px">
                        {e.items.map((i) => (
                          <li>
                            {i.title}
                            {i.lead ? (
                              <span class="badge pin plain" style="margin-left:6px">
                                Lead
                              </span>
                            ) : null}
                          </li>
                        ))}
                      </ol>
                    </details>
                  </td>
                  <td class="small" data-check-ok={check ? String(check.report.ok) : undefined}>
                    {check ? (
                      check.report.ok ? (
                        <span>✓ pass · {(check.htmlBytes / 1000).toFixed(1)} KB</span>
                      ) : (
                        <span style="color:var(--danger,#b42318)">
                          !{' '}
                          {check.report.checks
                            .filter((k) => !k.ok)
                            .map((k) => k.label)
                            .join('; ')}
                        </span>
                      )
                    ) : e.edition !== 0 && e.readers === 0 ? (
                      <span class="muted">no readers</span>
                    ) : (
                      <span class="muted">not run</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The editions and, when cheap enough or asked for, their checks. */
export async function editionsWithChecks(c: Context<EditorEnv>, deps: Deps, view: IssueView) {
  const { editions } = await listIssueEditions(deps, view.id, view);
  const pending = view.status === 'draft' || view.status === 'scheduled';
  const wanted = pending && (checkedCount(editions) <= INLINE_CHECK_LIMIT || c.req.query('checks') === 'all');
  const checks = wanted ? await checkIssueEditions(deps, view.id) : null;
  const checksHref = pending && !wanted ? `/editor/issues/${view.id}/send?checks=all#editions-h` : null;
  return { editions, checks, checksHref, blocked: checks ? failingMessage(checks) : null };
}
