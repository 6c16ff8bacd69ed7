// The issue pages' routes: each form post validates, calls one core function, records it in the audit log and redirects back.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../../core/editors/audit.js';
import { buildDraft } from '../../core/issues/build-draft.js';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import { zonedDateTimeToUtc } from '../../core/issues/iso-week.js';
import { addEventToIssue, editIssueText, editItemText, moveItem, reorderItems, setItemFlags } from '../../core/issues/issue-editing.js';
import { cancelIssue, reopenIssue, requireIssue, scheduleIssue, startSending, unscheduleIssue } from '../../core/issues/issue-lifecycle.js';
import { resumeIssue } from '../../core/send/restore-hold.js';
import type { Engine } from '../../db/schema.js';
import { sendTestIssue } from '../../core/issues/render-issue.js';
import { requireEditionsPass } from '../../core/issues/issue-editions.js';
import { countAudience } from '../../db/repos/editor-subscribers.js';
import { normalizeEmail } from '../../shared/email-normal-form.js';
import { fmtDateTime, fmtNum } from './format.js';
import { redirectWith } from './flash.js';
import { curatePage } from './issue-curate-page.js';
import { issueListPage } from './issue-list-page.js';
import { previewMailResponse, previewPage } from './issue-preview-page.js';
import { sendConfirmPage, sendPage } from './issue-send-page.js';
import { createEditorLimiter } from './editor-limiter.js';
import { formField, type EditorEnv } from './session.js';

const ITEM_OPS = ['up', 'down', 'pin', 'unpin', 'exclude', 'include'] as const;
type ItemOp = (typeof ITEM_OPS)[number];
const ITEM_OP_PAST: Record<ItemOp, string> = { up: 'moved', down: 'moved', pin: 'pinned', unpin: 'unpinned', exclude: 'excluded', include: 'included' };

async function field(c: Context, name: string): Promise<string | undefined> {
  return formField(c, name);
}

export function issueRoutes(deps: Deps) {
  const app = new Hono<EditorEnv>();
  const testLimiter = createEditorLimiter(20, 10 * 60_000, () => deps.clock.now().getTime());
  const audit = (c: Context<EditorEnv>, action: string, id: string, details?: Record<string, unknown>) =>
    recordAudit(deps, c.get('actor'), { action, targetType: 'issue', targetId: id, details });
  const back = (id: string, anchor = '') => `/editor/issues/${id}${anchor}`;
  // Every edition is checked afresh here, whatever the page showed: a failing one sends the editor back, named.
  const editionsFailing = async (id: string): Promise<string | null> => {
    try {
      await requireEditionsPass(deps, id);
      return null;
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') return `${err.message}. Nothing was sent or scheduled.`;
      throw err;
    }
  };

  app.get('/issues', (c) => issueListPage(c, deps));
  app.get('/issues/:id', (c) => curatePage(c, deps, c.req.param('id')));
  app.get('/issues/:id/preview', (c) => previewPage(c, deps, c.req.param('id')));
  app.get('/issues/:id/preview/mail', (c) => previewMailResponse(c, deps, c.req.param('id')));
  app.get('/issues/:id/send', (c) => sendPage(c, deps, c.req.param('id')));
  app.get('/issues/:id/send/confirm', (c) => sendConfirmPage(c, deps, c.req.param('id')));

  app.post('/issues', async (c) => {
    const week = ((await field(c, 'week')) ?? '').trim().toUpperCase() || undefined;
    const { issue, created } = await buildDraft(deps, week);
    await audit(c, created ? 'issue.built' : 'issue.rebuilt', issue.id);
    return redirectWith(c, back(issue.id), 'ok', created ? `Draft for ${issue.week} built.` : `Draft for ${issue.week} rebuilt; your edits were kept.`);
  });

  app.post('/issues/:id/rebuild', async (c) => {
    const issue = await requireIssue(deps, c.req.param('id'));
    await buildDraft(deps, issue.week);
    await audit(c, 'issue.rebuilt', issue.id);
    return redirectWith(c, back(issue.id), 'ok', 'Rebuilt from the latest events; pinned, excluded, edited and added stories were kept.');
  });

  app.post('/issues/:id/text', async (c) => {
    const id = c.req.param('id');
    const engine = await field(c, 'engine');
    const patch = {
      subject: (await field(c, 'subject'))?.slice(0, 200) ?? null,
      preheader: (await field(c, 'preheader'))?.slice(0, 250) ?? null,
      intro: (await field(c, 'intro'))?.slice(0, 5000) ?? null,
      engine: engine === 'react' || engine === 'mjml' ? (engine as Engine) : undefined,
    };
    await editIssueText(deps, id, patch);
    await audit(c, 'issue.texts_edited', id, { engine: patch.engine ?? null, subject: patch.subject || null });
    return redirectWith(c, back(id), 'ok', 'Texts saved.');
  });

  app.post('/issues/:id/items/:itemId{[0-9]+}', async (c) => {
    const id = c.req.param('id');
    const itemId = Number(c.req.param('itemId'));
    const op = (await field(c, 'op')) as ItemOp;
    if (!ITEM_OPS.includes(op)) throw new AppError('validation_failed', `unknown item action "${op}"`);
    if (op === 'up' || op === 'down') await moveItem(deps, id, itemId, op);
    else if (op === 'pin' || op === 'unpin') await setItemFlags(deps, id, itemId, { pinned: op === 'pin' });
    else await setItemFlags(deps, id, itemId, { excluded: op === 'exclude' });
    await audit(c, `issue.item_${ITEM_OP_PAST[op]}`, id, { itemId, op });
    return c.redirect(back(id, `#item-${itemId}`), 303);
  });

  app.post('/issues/:id/items/:itemId{[0-9]+}/text', async (c) => {
    const id = c.req.param('id');
    const itemId = Number(c.req.param('itemId'));
    await editItemText(deps, id, itemId, { title: (await field(c, 'title'))?.slice(0, 300) ?? null, blurb: (await field(c, 'blurb'))?.slice(0, 1000) ?? null });
    await audit(c, 'issue.item_edited', id, { itemId });
    return redirectWith(c, back(id, `#item-${itemId}`), 'ok', 'Story saved.');
  });

  // Drag and drop posts JSON {order:[ids]}; without JavaScript the same order can be posted as "3,1,2".
  app.post('/issues/:id/order', async (c) => {
    const id = c.req.param('id');
    const json = /json/i.test(c.req.header('content-type') ?? '');
    const raw = json ? ((await c.req.json().catch(() => ({}))) as { order?: unknown }).order : ((await field(c, 'order')) ?? '').split(',').map(Number);
    const order = z.array(z.number().int().positive()).min(1).max(200).parse(raw);
    await reorderItems(deps, id, order);
    await audit(c, 'issue.items_reordered', id, { order });
    return json ? c.json({ ok: true }) : redirectWith(c, back(id), 'ok', 'Order saved.');
  });

  app.post('/issues/:id/add', async (c) => {
    const id = c.req.param('id');
    const eventId = z.coerce
      .number()
      .int()
      .positive()
      .parse(await field(c, 'eventId'));
    await addEventToIssue(deps, id, eventId);
    await audit(c, 'issue.event_added', id, { eventId });
    return redirectWith(c, back(id), 'ok', 'Event added and pinned.');
  });

  app.post('/issues/:id/test', async (c) => {
    const id = c.req.param('id');
    const to = z
      .email()
      .max(254)
      .safeParse(normalizeEmail((await field(c, 'to')) ?? ''));
    const engineField = await field(c, 'engine');
    const engine = engineField === 'mjml' || engineField === 'react' ? engineField : undefined;
    const target = `/editor/issues/${id}/preview${engine ? `?engine=${engine}` : ''}`;
    if (!to.success) return redirectWith(c, target, 'error', 'Enter a valid address for the test.');
    if (testLimiter.hit(c.get('actor')) > 0) return redirectWith(c, target, 'error', 'Too many test sends in a short time; wait a few minutes.');
    await sendTestIssue(deps, id, to.data, { engine });
    await audit(c, 'issue.test_sent', id, { to: to.data, engine: engine ?? null });
    return redirectWith(c, target, 'ok', `Test queued to ${to.data}. It arrives within seconds${deps.config.resendApiKey ? '' : ' (see the dev mailbox)'}.`);
  });

  app.post('/issues/:id/schedule', async (c) => {
    const id = c.req.param('id');
    const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec((await field(c, 'date')) ?? '');
    const time = /^(\d{2}):(\d{2})/.exec((await field(c, 'time')) ?? '');
    if (!date || !time) return redirectWith(c, `${back(id)}/send`, 'error', 'Pick a date and a time.');
    const at = zonedDateTimeToUtc(Number(date[1]), Number(date[2]), Number(date[3]), Number(time[1]), Number(time[2]), deps.config.tz);
    const failing = await editionsFailing(id);
    if (failing) return redirectWith(c, `${back(id)}/send`, 'error', failing);
    await scheduleIssue(deps, id, at, 'editor');
    await audit(c, 'issue.scheduled', id, { at: at.toISOString() });
    return redirectWith(c, `${back(id)}/send`, 'ok', `Scheduled for ${fmtDateTime(at.toISOString(), deps.config.tz)}.`);
  });

  app.post('/issues/:id/unschedule', async (c) => {
    const id = c.req.param('id');
    await unscheduleIssue(deps, id);
    await audit(c, 'issue.unscheduled', id);
    return redirectWith(c, `${back(id)}/send`, 'ok', 'Schedule canceled; the issue is a draft again.');
  });

  app.post('/issues/:id/cancel', async (c) => {
    const id = c.req.param('id');
    await cancelIssue(deps, id);
    await audit(c, 'issue.canceled', id);
    return redirectWith(c, `${back(id)}/send`, 'ok', 'Issue canceled. Nothing will be sent.');
  });

  app.post('/issues/:id/reopen', async (c) => {
    const id = c.req.param('id');
    await reopenIssue(deps, id);
    await audit(c, 'issue.reopened', id);
    return redirectWith(c, back(id), 'ok', 'Reopened as a draft.');
  });

  // After a restore an issue waits for this: the editor has checked the provider's logs for the window at risk.
  app.post('/issues/:id/resume', async (c) => {
    const id = c.req.param('id');
    const before = await requireIssue(deps, id);
    await resumeIssue(deps, id);
    await audit(c, 'issue.resumed', id, { pausedReason: before.paused_reason });
    return redirectWith(c, back(id, '/send'), 'ok', 'Sending resumed.');
  });

  app.post('/issues/:id/send', async (c) => {
    const id = c.req.param('id');
    const audience = await countAudience(deps.db, deps.clock.now().toISOString());
    const failing = await editionsFailing(id);
    if (failing) return redirectWith(c, `${back(id)}/send`, 'error', failing);
    await startSending(deps, id);
    await audit(c, 'issue.send_started', id, { audience, confirmedAudience: Number(await field(c, 'audience')) || null });
    return redirectWith(c, `${back(id)}/send`, 'ok', `Sending to ${fmtNum(audience)} readers.`);
  });

  return app;
}
