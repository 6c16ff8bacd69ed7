import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDraft } from '../src/core/issues/build-draft.js';
import { startDueIssues } from '../src/core/send/dispatch.js';
import { ingestEvents } from '../src/core/events/ingest-events.js';
import { editIssueText, editItemText, moveItem, setItemFlags } from '../src/core/issues/issue-editing.js';
import { cancelIssue, canTransition, reopenIssue, scheduleIssue, startSending, transitionIssue, unscheduleIssue } from '../src/core/issues/issue-lifecycle.js';
import { getIssueView } from '../src/core/issues/issue-view.js';
import { getIssue } from '../src/db/repos/issues.js';
import { eventInput } from './factories.js';
import { makeDeps, type TestDeps } from './helpers/deps.js';

let deps: TestDeps;

beforeEach(async () => {
  // Thursday of 2026-W48 (Nov 23–29)
  deps = makeDeps({ now: '2026-11-26T12:00:00.000Z', config: { issueSize: 5, maxPerTopic: 5 } });
  await ingestEvents(deps, {
    events: Array.from({ length: 12 }, (_, i) =>
      eventInput({
        externalId: `e${i}`,
        title: `Distinct headline number ${i} about ${['chips', 'models', 'policy', 'funding'][i % 4]} ${'xyz'.repeat(i)}`,
        url: `https://n.example.com/${i}`,
        publishedAt: `2026-11-2${3 + (i % 4)}T0${i % 10}:00:00.000Z`,
        views: 10_000 - i * 700,
        clicks: 100,
        topics: [['compute', 'models', 'policy', 'funding'][i % 4]],
      }),
    ),
  });
});
afterEach(() => deps.cleanup());

describe('draft building', () => {
  it('builds the current ISO week by default, once, with a default subject and preheader', async () => {
    const a = await buildDraft(deps);
    const b = await buildDraft(deps);
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(a.issue.id).toBe('2026-w48');
    expect(a.issue.week).toBe('2026-W48');
    const view = await getIssueView(deps, '2026-w48');
    expect(view.items.filter((i) => !i.excluded)).toHaveLength(5);
    expect(view.subject).toBe(`Weekly AI Recap — Nov 23 – 29, 2026: ${view.items[0].title}`);
    expect(view.subject.length).toBeLessThanOrEqual(110);
    expect(view.preheader.length).toBeGreaterThan(10);
    expect(view.items[0].scoreBreakdown.total).toBeCloseTo(view.items[0].score, 2);
  });

  it('rejects a malformed week', async () => {
    await expect(buildDraft(deps, '2026-48')).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('rebuilding keeps pins, exclusions, order and text edits', async () => {
    await buildDraft(deps);
    let view = await getIssueView(deps, '2026-w48');
    const [first, second, third, , fifth] = view.items;
    await setItemFlags(deps, view.id, second.id, { excluded: true });
    await setItemFlags(deps, view.id, fifth.id, { pinned: true });
    await moveItem(deps, view.id, third.id, 'up'); // third above first
    await editItemText(deps, view.id, first.id, { blurb: 'Editor blurb', title: 'Editor title' });
    await editIssueText(deps, view.id, { subject: 'My subject', intro: 'Hello **readers**' });
    const before = (await getIssueView(deps, view.id)).items.filter((i) => !i.excluded).map((i) => i.event.externalId);

    // new, higher-scoring events arrive, then the draft is rebuilt
    await ingestEvents(deps, {
      events: [
        eventInput({
          externalId: 'hot',
          title: 'Hot new story everyone shares',
          url: 'https://n.example.com/hot',
          publishedAt: '2026-11-26T09:00:00Z',
          views: 900_000,
          shares: 50_000,
          topics: ['tools'],
        }),
      ],
    });
    await buildDraft(deps);
    view = await getIssueView(deps, '2026-w48');
    const included = view.items.filter((i) => !i.excluded);
    expect(view.subject).toBe('My subject');
    expect(view.intro).toBe('Hello **readers**');
    expect(view.items.find((i) => i.event.externalId === second.event.externalId)?.excluded).toBe(true);
    expect(included.find((i) => i.event.externalId === fifth.event.externalId)?.pinned).toBe(true);
    const edited = included.find((i) => i.event.externalId === first.event.externalId)!;
    expect(edited).toMatchObject({ title: 'Editor title', blurb: 'Editor blurb' });
    // the manual order of the kept items stands
    const keptOrder = included.map((i) => i.event.externalId).filter((x) => before.includes(x));
    expect(keptOrder).toEqual(before.filter((x) => keptOrder.includes(x)));
    expect(included.length).toBeLessThanOrEqual(6);
  });
});

describe('lifecycle', () => {
  it('allows only legal transitions (core and database)', async () => {
    await buildDraft(deps);
    expect(canTransition('sent', 'draft')).toBe(false);
    expect(canTransition('draft', 'sent')).toBe(false);
    await expect(transitionIssue(deps, '2026-w48', 'sent')).rejects.toMatchObject({ code: 'conflict' });
    // the database refuses too, whoever writes
    expect(() => deps.testDb.sqlite.prepare("UPDATE issues SET status = 'sent' WHERE id = '2026-w48'").run()).toThrow(/illegal issue status transition/);
    await startSending(deps, '2026-w48');
    await expect(scheduleIssue(deps, '2026-w48', new Date('2026-11-30T08:00:00Z'))).rejects.toMatchObject({ code: 'conflict' });
    await expect(cancelIssue(deps, '2026-w48')).rejects.toMatchObject({ code: 'conflict' });
    await expect(buildDraft(deps, '2026-W48')).rejects.toMatchObject({ code: 'conflict' });
    await expect(editIssueText(deps, '2026-w48', { subject: 'late edit' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('schedules, reschedules, unschedules, cancels and reopens', async () => {
    await buildDraft(deps);
    await expect(scheduleIssue(deps, '2026-w48', new Date('2026-11-20T08:00:00Z'))).rejects.toMatchObject({ code: 'validation_failed' });
    expect((await scheduleIssue(deps, '2026-w48', new Date('2026-11-30T08:00:00Z'))).scheduled_at).toBe('2026-11-30T08:00:00.000Z');
    expect((await scheduleIssue(deps, '2026-w48', new Date('2026-11-30T09:00:00Z'))).scheduled_at).toBe('2026-11-30T09:00:00.000Z');
    const un = await unscheduleIssue(deps, '2026-w48');
    expect(un).toMatchObject({ status: 'draft', scheduled_at: null, schedule_source: 'editor' });
    expect((await cancelIssue(deps, '2026-w48')).status).toBe('canceled');
    expect((await reopenIssue(deps, '2026-w48')).status).toBe('draft');
  });

  it('AUTO_SEND schedules the draft for the weekly send time, unless an editor changed it', async () => {
    deps.config.autoSend = true;
    deps.config.sendAt = { isoWeekday: 1, hour: 8, minute: 0 };
    await buildDraft(deps);
    expect(await getIssue(deps.db, '2026-w48')).toMatchObject({ status: 'scheduled', scheduled_at: '2026-11-30T08:00:00.000Z', schedule_source: 'auto' });
    await unscheduleIssue(deps, '2026-w48');
    await buildDraft(deps);
    expect(await getIssue(deps.db, '2026-w48')).toMatchObject({ status: 'draft', scheduled_at: null });
  });
});

describe('catch-up after downtime', () => {
  it('a schedule missed while down is started on the next run, once', async () => {
    await buildDraft(deps);
    await scheduleIssue(deps, '2026-w48', new Date('2026-11-26T13:00:00Z'));
    deps.clock.set('2026-11-26T18:30:00Z'); // the process was down at 13:00
    expect(await startDueIssues(deps)).toEqual({ started: ['2026-w48'], missed: [] });
    expect(await startDueIssues(deps)).toEqual({ started: [], missed: [] });
    expect((await getIssue(deps.db, '2026-w48'))?.status).toBe('sending');
  });

  it('a schedule later than MAX_LATENESS is not sent but marked missed for the editors', async () => {
    await buildDraft(deps);
    await scheduleIssue(deps, '2026-w48', new Date('2026-11-26T13:00:00Z'));
    deps.clock.set('2026-11-28T13:00:00Z'); // 48 h late, MAX_LATENESS 24 h
    expect(await startDueIssues(deps)).toEqual({ started: [], missed: ['2026-w48'] });
    const issue = await getIssue(deps.db, '2026-w48');
    expect(issue).toMatchObject({ status: 'failed', missed_at: '2026-11-28T13:00:00.000Z' });
    expect(issue?.failure_reason).toMatch(/missed.*48 h late/);
    expect((await reopenIssue(deps, '2026-w48')).status).toBe('draft');
  });
});
