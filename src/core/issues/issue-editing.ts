// Editor curation of a draft: pin, exclude, reorder, add events, edit texts and the engine.
import { getEventsByIds } from '../../db/repos/events.js';
import { listItems, replaceItems, updateIssue, updateItem, type ItemWrite } from '../../db/repos/issues.js';
import type { Engine, IssueItemRow } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { AppError, notFound } from '../errors.js';
import { weekWindow } from './iso-week.js';
import { requireIssue } from './issue-lifecycle.js';

const EDITABLE = ['draft', 'scheduled'] as const;

/** undefined leaves a field alone; blank clears an override (back to the generated text). */
const clean = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim());

async function requireEditable(deps: Pick<Deps, 'db'>, id: string) {
  const issue = await requireIssue(deps, id);
  if (!(EDITABLE as readonly string[]).includes(issue.status)) throw new AppError('conflict', `issue ${id} is ${issue.status} and can no longer be edited`);
  return issue;
}

async function requireItem(deps: Pick<Deps, 'db'>, issueId: string, itemId: number): Promise<IssueItemRow> {
  const item = (await listItems(deps.db, issueId)).find((r) => r.id === itemId);
  if (!item) throw notFound(`item ${itemId}`);
  return item;
}

export interface IssueTextPatch {
  subject?: string | null;
  preheader?: string | null;
  intro?: string | null;
  engine?: Engine;
}

export async function editIssueText(deps: Pick<Deps, 'db' | 'clock'>, id: string, patch: IssueTextPatch): Promise<void> {
  await requireEditable(deps, id);
  await updateIssue(deps.db, id, {
    ...(patch.subject !== undefined && { subject: clean(patch.subject) }),
    ...(patch.preheader !== undefined && { preheader: clean(patch.preheader) }),
    ...(patch.intro !== undefined && { intro: clean(patch.intro) }),
    ...(patch.engine !== undefined && { engine: patch.engine }),
    updated_at: deps.clock.now().toISOString(),
  });
}

export async function setItemFlags(deps: Pick<Deps, 'db' | 'clock'>, id: string, itemId: number, flags: { pinned?: boolean; excluded?: boolean }) {
  await requireEditable(deps, id);
  await requireItem(deps, id, itemId);
  await updateItem(
    deps.db,
    id,
    itemId,
    {
      ...(flags.pinned !== undefined && { pinned: flags.pinned ? 1 : 0, ...(flags.pinned && { excluded: 0 }) }),
      ...(flags.excluded !== undefined && { excluded: flags.excluded ? 1 : 0, ...(flags.excluded && { pinned: 0 }) }),
    },
    deps.clock.now().toISOString(),
  );
  await renumber(deps, id);
}

export async function editItemText(deps: Pick<Deps, 'db' | 'clock'>, id: string, itemId: number, patch: { title?: string | null; blurb?: string | null }) {
  await requireEditable(deps, id);
  await requireItem(deps, id, itemId);
  await updateItem(
    deps.db,
    id,
    itemId,
    {
      ...(patch.title !== undefined && { title_override: clean(patch.title) }),
      ...(patch.blurb !== undefined && { blurb_override: clean(patch.blurb) }),
    },
    deps.clock.now().toISOString(),
  );
}

const toWrite = (r: IssueItemRow): ItemWrite => {
  const { id: _i, issue_id: _s, created_at: _c, updated_at: _u, ...rest } = r;
  return rest;
};

/** Puts the included items in the given order (ids); marks them as manually placed so rebuilds keep it. */
export async function reorderItems(deps: Pick<Deps, 'db' | 'clock'>, id: string, orderedItemIds: number[]) {
  await requireEditable(deps, id);
  const rows = await listItems(deps.db, id);
  const byId = new Map(rows.map((r) => [r.id, r]));
  if (new Set(orderedItemIds).size !== orderedItemIds.length || orderedItemIds.some((i) => !byId.has(i))) {
    throw new AppError('validation_failed', 'order must list existing item ids once each');
  }
  const rest = rows.filter((r) => !orderedItemIds.includes(r.id));
  const ordered = [...orderedItemIds.map((i) => byId.get(i)!), ...rest];
  const items = ordered.map((r, i) => ({ ...toWrite(r), position: i + 1, manual_position: 1 }));
  await replaceItems(deps.db, id, sortExcludedLast(items), deps.clock.now().toISOString());
}

export async function moveItem(deps: Pick<Deps, 'db' | 'clock'>, id: string, itemId: number, direction: 'up' | 'down') {
  const rows = (await listItems(deps.db, id)).filter((r) => r.excluded === 0);
  const i = rows.findIndex((r) => r.id === itemId);
  if (i < 0) throw notFound(`item ${itemId}`);
  const j = direction === 'up' ? i - 1 : i + 1;
  if (j < 0 || j >= rows.length) return;
  [rows[i], rows[j]] = [rows[j], rows[i]];
  await reorderItems(
    deps,
    id,
    rows.map((r) => r.id),
  );
}

export async function addEventToIssue(deps: Pick<Deps, 'db' | 'clock' | 'config'>, id: string, eventId: number) {
  const issue = await requireEditable(deps, id);
  const [event] = await getEventsByIds(deps.db, [eventId]);
  if (!event) throw notFound(`event ${eventId}`);
  const { start, end } = weekWindow(issue.week, deps.config.tz);
  if (event.publishedAt < start.toISOString() || event.publishedAt >= end.toISOString()) {
    throw new AppError('validation_failed', `event ${eventId} was not published in ${issue.week}`);
  }
  const rows = await listItems(deps.db, id);
  const existing = rows.find((r) => r.event_id === eventId);
  const items = rows.map(toWrite);
  if (existing) {
    const it = items.find((r) => r.event_id === eventId)!;
    Object.assign(it, { excluded: 0, added_by: 'editor' });
  } else {
    items.push({
      event_id: eventId,
      position: rows.length + 1,
      pinned: 1,
      excluded: 0,
      manual_position: 0,
      added_by: 'editor',
      title_override: null,
      blurb_override: null,
      score: 0,
      score_breakdown: '{}',
      merged_event_ids: '[]',
      source_count: event.sourceCount,
    });
  }
  await replaceItems(
    deps.db,
    id,
    sortExcludedLast(items).map((r, i) => ({ ...r, position: i + 1 })),
    deps.clock.now().toISOString(),
  );
}

function sortExcludedLast(items: ItemWrite[]): ItemWrite[] {
  return [...items].sort((a, b) => a.excluded - b.excluded || a.position - b.position).map((r, i) => ({ ...r, position: i + 1 }));
}

async function renumber(deps: Pick<Deps, 'db' | 'clock'>, id: string) {
  const rows = await listItems(deps.db, id);
  await replaceItems(deps.db, id, sortExcludedLast(rows.map(toWrite)), deps.clock.now().toISOString());
}
