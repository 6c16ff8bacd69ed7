// /api/editor/*: the issue workflow as JSON for automation (EDITOR_API_TOKEN bearer) and for the workspace's own scripts (session + CSRF header).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../core/editors/audit.js';
import { buildDraft } from '../core/issues/build-draft.js';
import type { Deps } from '../core/deps.js';
import { weekWindow } from '../core/issues/iso-week.js';
import { addEventToIssue, editIssueText, editItemText, reorderItems, setItemFlags } from '../core/issues/issue-editing.js';
import { cancelIssue, requireIssue, scheduleIssue, startSending, unscheduleIssue } from '../core/issues/issue-lifecycle.js';
import { resumeIssue } from '../core/send/restore-hold.js';
import { renderIssuePreview, sendTestIssue } from '../core/issues/render-issue.js';
import { countAudience } from '../db/repos/editor-subscribers.js';
import { searchEventsBetween } from '../db/repos/events.js';
import { listIssues } from '../db/repos/issues.js';
import { runPresendChecks } from '../mail/presend-checks.js';
import { loadSession, requireEditorApi, type EditorEnv } from './editor/session.js';
import { readJson } from './errors.js';
import { checkIssueEditions, issueWithEditions, requireEditionsPass } from '../core/issues/issue-editions.js';
import { issueStats } from '../core/issues/click-stats.js';
import { TOPICS } from '../shared/topics.js';
import { parseTopicsQuery } from './editor/topic-query.js';

const engineSchema = z.enum(['react', 'mjml']);
const buildBody = z
  .object({
    week: z
      .string()
      .regex(/^\d{4}-[Ww]\d{2}$/, 'week must look like 2026-W48')
      .optional(),
  })
  .strict();
const testBody = z.object({ to: z.email().max(254), engine: engineSchema.optional() }).strict();
const scheduleBody = z.object({ at: z.iso.datetime({ offset: true }) }).strict();
const textBody = z
  .object({
    subject: z.string().max(200).nullable().optional(),
    preheader: z.string().max(250).nullable().optional(),
    intro: z.string().max(5000).nullable().optional(),
    engine: engineSchema.optional(),
  })
  .strict();
const itemBody = z
  .object({
    pinned: z.boolean().optional(),
    excluded: z.boolean().optional(),
    title: z.string().max(300).nullable().optional(),
    blurb: z.string().max(1000).nullable().optional(),
  })
  .strict();
const orderBody = z.object({ itemIds: z.array(z.number().int().positive()).min(1).max(200) }).strict();
const addBody = z.object({ eventId: z.number().int().positive() }).strict();
/** `?topics=policy,safety`: preview as a reader who follows these (their edition); absent or empty: the default. */
const topicsQuery = z
  .string()
  .max(200)
  .optional()
  .transform((v, ctx) => {
    const q = parseTopicsQuery(v === undefined ? undefined : [v]);
    if (!q.ok) ctx.addIssue({ code: 'custom', message: `unknown topic(s): ${q.unknown.join(', ')}; topics are ${TOPICS.join(', ')}` });
    return q.edition;
  });

export function editorApi(deps: Deps) {
  const app = new Hono<EditorEnv>();
  app.use('*', loadSession(deps), requireEditorApi(deps));

  const audit = (c: Context<EditorEnv>, action: string, id: string, details?: Record<string, unknown>) =>
    recordAudit(deps, c.get('actor'), { action, targetType: 'issue', targetId: id, details });
  const body = async <T extends z.ZodTypeAny>(c: Context, schema: T): Promise<z.infer<T>> => {
    const raw = c.req.header('content-length') === '0' || !c.req.header('content-type') ? {} : await readJson(c);
    return schema.parse(raw ?? {});
  };
  // The contract's issue object: {id, week, slug, status, subject, preheader, scheduledAt, items, counts, pool, editions, …}.
  const view = async (c: Context, id: string, status: 200 | 201 | 202 = 200) => c.json(await issueWithEditions(deps, id), status);

  app.get('/issues', async (c) => {
    const rows = await listIssues(deps.db, { limit: 100 });
    return c.json({
      issues: rows.map((r) => ({
        id: r.id,
        week: r.week,
        slug: r.slug,
        status: r.status,
        subject: r.subject ?? r.default_subject,
        scheduledAt: r.scheduled_at,
        sentAt: r.sent_at,
      })),
    });
  });

  app.post('/issues', async (c) => {
    const { week } = await body(c, buildBody);
    const { issue, created } = await buildDraft(deps, week?.toUpperCase());
    await audit(c, created ? 'issue.built' : 'issue.rebuilt', issue.id);
    return view(c, issue.id, created ? 201 : 200);
  });

  app.get('/issues/:id', (c) => view(c, c.req.param('id')));
  // Funnel, clicks per story and edition, provider-reported opens and clicks (issue 16).
  app.get('/issues/:id/stats', async (c) => c.json(await issueStats(deps, c.req.param('id'))));

  app.patch('/issues/:id', async (c) => {
    const id = c.req.param('id');
    const patch = await body(c, textBody);
    await editIssueText(deps, id, patch);
    await audit(c, 'issue.texts_edited', id, { fields: Object.keys(patch) });
    return view(c, id);
  });

  app.get('/issues/:id/preview', async (c) => {
    const id = c.req.param('id');
    const format = z
      .enum(['html', 'text'])
      .default('html')
      .parse(c.req.query('format') || undefined);
    const engine = engineSchema.optional().parse(c.req.query('engine') || undefined);
    const edition = topicsQuery.parse(c.req.query('topics') || undefined);
    const r = await renderIssuePreview(deps, id, { engine, edition });
    c.header('Cache-Control', 'no-store');
    if (format === 'text') return c.text(r.text);
    c.header('Content-Security-Policy', "sandbox; default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'");
    return c.html(r.html);
  });

  app.get('/issues/:id/checks', async (c) => {
    const engine = engineSchema.optional().parse(c.req.query('engine') || undefined);
    const edition = topicsQuery.parse(c.req.query('topics') || undefined);
    const r = await renderIssuePreview(deps, c.req.param('id'), { engine, edition });
    const all = await checkIssueEditions(deps, c.req.param('id'), { engine });
    return c.json({
      ...runPresendChecks({ ...r, publicUrl: deps.config.publicUrl }),
      // Every edition the audience would get: one failing edition blocks the send, by name.
      editions: {
        ok: all.ok,
        failing: all.failing,
        largestBytes: all.largestBytes,
        checked: all.editions.map((e) => ({
          edition: e.edition,
          name: e.name,
          ok: e.report.ok,
          htmlBytes: e.htmlBytes,
          failed: e.report.checks.filter((k) => !k.ok),
        })),
      },
    });
  });

  app.get('/issues/:id/events', async (c) => {
    const issue = await requireIssue(deps, c.req.param('id'));
    const { start, end } = weekWindow(issue.week, deps.config.tz);
    const events = await searchEventsBetween(deps.db, start.toISOString(), end.toISOString(), (c.req.query('q') ?? '').slice(0, 100), 50);
    return c.json({ events });
  });

  app.post('/issues/:id/items', async (c) => {
    const id = c.req.param('id');
    const { eventId } = await body(c, addBody);
    await addEventToIssue(deps, id, eventId);
    await audit(c, 'issue.event_added', id, { eventId });
    return view(c, id);
  });

  app.patch('/issues/:id/items/:itemId{[0-9]+}', async (c) => {
    const id = c.req.param('id');
    const itemId = Number(c.req.param('itemId'));
    const p = await body(c, itemBody);
    if (p.pinned !== undefined || p.excluded !== undefined) await setItemFlags(deps, id, itemId, { pinned: p.pinned, excluded: p.excluded });
    if (p.title !== undefined || p.blurb !== undefined) await editItemText(deps, id, itemId, { title: p.title, blurb: p.blurb });
    await audit(c, 'issue.item_edited', id, { itemId, fields: Object.keys(p) });
    return view(c, id);
  });

  app.put('/issues/:id/order', async (c) => {
    const id = c.req.param('id');
    const { itemIds } = await body(c, orderBody);
    await reorderItems(deps, id, itemIds);
    await audit(c, 'issue.items_reordered', id, { order: itemIds });
    return view(c, id);
  });

  app.post('/issues/:id/test', async (c) => {
    const id = c.req.param('id');
    const { to, engine } = await body(c, testBody);
    await requireIssue(deps, id);
    const deliveryId = await sendTestIssue(deps, id, to.toLowerCase(), { engine });
    await audit(c, 'issue.test_sent', id, { to, engine: engine ?? null });
    return c.json({ queued: true, deliveryId, to: to.toLowerCase() }, 202);
  });

  app.post('/issues/:id/schedule', async (c) => {
    const id = c.req.param('id');
    const { at } = await body(c, scheduleBody);
    const when = new Date(at);
    // as for send now: an edition that fails its checks is refused here, by name, not found out at send time
    await requireEditionsPass(deps, id);
    await scheduleIssue(deps, id, when, 'editor');
    await audit(c, 'issue.scheduled', id, { at: when.toISOString() });
    return view(c, id);
  });

  app.delete('/issues/:id/schedule', async (c) => {
    const id = c.req.param('id');
    await unscheduleIssue(deps, id);
    await audit(c, 'issue.unscheduled', id);
    return view(c, id);
  });

  app.post('/issues/:id/cancel', async (c) => {
    const id = c.req.param('id');
    await cancelIssue(deps, id);
    await audit(c, 'issue.canceled', id);
    return view(c, id);
  });

  app.post('/issues/:id/send', async (c) => {
    const id = c.req.param('id');
    const audience = await countAudience(deps.db, deps.clock.now().toISOString());
    await requireEditionsPass(deps, id);
    await startSending(deps, id);
    await audit(c, 'issue.send_started', id, { audience });
    return view(c, id, 202);
  });

  app.post('/issues/:id/resume', async (c) => {
    const id = c.req.param('id');
    await resumeIssue(deps, id);
    await audit(c, 'issue.resumed', id);
    return view(c, id);
  });

  return app;
}
