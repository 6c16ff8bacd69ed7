// CLI commands over issues: build, preview (with the pre-send checks), schedule, send with a progress bar.
import { writeFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { buildDraft } from '../core/issues/build-draft.js';
import { dispatch } from '../core/send/dispatch.js';
import { AppError } from '../core/errors.js';
import { weekSlug } from '../core/issues/iso-week.js';
import { requireIssue, scheduleIssue, startSending, unscheduleIssue } from '../core/issues/issue-lifecycle.js';
import { getIssueView } from '../core/issues/issue-view.js';
import { checkIssue } from '../core/issues/render-issue.js';
import { createProviderPacer } from '../core/send/provider-pacer.js';
import type { Engine } from '../db/schema.js';
import { parse } from './args.js';
import { withRuntime, type Command } from './runtime.js';

/** Accepts an issue id/slug (2026-w48) or an ISO week (2026-W48). */
function issueIdOf(arg: string | undefined): string {
  if (!arg) throw new Error('name an issue, e.g. 2026-w48');
  return /^\d{4}-W\d{2}$/.test(arg) ? weekSlug(arg) : arg.toLowerCase();
}

export const buildCommand: Command = {
  name: 'build',
  usage: 'build [--week 2026-W48]',
  summary: 'build or rebuild the draft for an ISO week (default: this week), keeping edits',
  run: async (args) => {
    const { values } = parse(args, { week: { type: 'string' } });
    await withRuntime(async (rt) => {
      const { issue, created } = await buildDraft(rt.deps, values.week);
      const view = await getIssueView(rt.deps, issue.id);
      console.log(`${created ? 'Built' : 'Rebuilt'} ${issue.id} (${issue.status}): "${view.subject}"`);
      for (const it of view.items.filter((i) => !i.excluded))
        console.log(`  ${String(it.position).padStart(2)}. [${it.score.toFixed(2)}] ${it.title} — ${it.event.sourceName}`);
      console.log(`Preview: ${rt.config.publicUrl}/editor/issues/${issue.id}`);
    });
  },
};

export const previewCommand: Command = {
  name: 'preview',
  usage: 'preview <issue|--week W> [--engine react|mjml] [--out file.html]',
  summary: 'render an issue to HTML and text and run the pre-send checks',
  help: 'Writes the HTML to --out (default ./data/preview-<issue>.html) and the text part beside it (.txt),\nthen prints the pre-send checks. Exits 1 when a check fails.',
  run: async (args) => {
    const { values, positionals } = parse(args, { week: { type: 'string' }, engine: { type: 'string' }, out: { type: 'string' } });
    const engine = values.engine as Engine | undefined;
    if (engine && engine !== 'react' && engine !== 'mjml') throw new Error('--engine must be react or mjml');
    const id = issueIdOf(values.week ?? positionals[0]);
    return withRuntime(async (rt) => {
      const { preview, report } = await checkIssue(rt.deps, id, { engine });
      const out = values.out ?? `./data/preview-${id}${engine ? `-${engine}` : ''}.html`;
      writeFileSync(out, preview.html);
      writeFileSync(`${out.replace(/\.html?$/i, '')}.txt`, preview.text);
      console.log(
        `Subject:   ${preview.subject}\nPreheader: ${preview.preheader}\nHTML: ${out} (${Buffer.byteLength(preview.html)} bytes)\nText: ${out.replace(/\.html?$/i, '')}.txt`,
      );
      console.log('\nPre-send checks:');
      for (const c of report.checks) console.log(`  ${c.ok ? '✓' : '✗'} ${c.label}: ${c.message}${!c.ok && c.fix ? `\n      fix: ${c.fix}` : ''}`);
      return report.ok ? 0 : 1;
    });
  },
};

export const scheduleCommand: Command = {
  name: 'schedule',
  usage: 'schedule <issue> <ISO date-time | --cancel>',
  summary: 'schedule an issue (e.g. 2026-11-30T08:00:00Z) or cancel its schedule',
  run: async (args) => {
    const { values, positionals } = parse(args, { cancel: { type: 'boolean' } });
    const id = issueIdOf(positionals[0]);
    await withRuntime(async (rt) => {
      if (values.cancel) {
        await unscheduleIssue(rt.deps, id);
        console.log(`${id}: schedule canceled (back to draft)`);
        return;
      }
      if (!positionals[1]) throw new Error('give a time, e.g. 2026-11-30T08:00:00Z');
      const issue = await scheduleIssue(rt.deps, id, new Date(positionals[1]));
      console.log(`${id}: scheduled for ${issue.scheduled_at}`);
    });
  },
};

export const sendCommand: Command = {
  name: 'send',
  usage: 'send <issue>',
  summary: 'send an issue now (or resume an interrupted send) with a progress bar',
  help: 'Moves the issue to "sending" and runs the outbox in this process until every reader is settled.\nSafe to run beside the server or twice: a database lease lets one runner send at a time, and an\ninterrupted send resumes where it stopped without sending anyone a second copy.',
  run: async (args) => {
    const { positionals } = parse(args, {});
    const id = issueIdOf(positionals[0]);
    return withRuntime(async (rt) => {
      const { deps, config } = rt;
      const issue = await requireIssue(deps, id);
      if (issue.status === 'draft' || issue.status === 'scheduled') await startSending(deps, id);
      else if (issue.status !== 'sending') throw new AppError('conflict', `issue ${id} is ${issue.status}`);
      const limiter = createProviderPacer(config.resendApiKey ? config.resendRatePerSec : Infinity);
      const owner = config.instanceId ?? `cli-${process.pid}`;
      const bar = new cliProgress.SingleBar(
        { format: ' {bar} {percentage}% | {value}/{total} sent | {rate}/s | ETA {eta_formatted} | {note}', hideCursor: true, etaBuffer: 50 },
        cliProgress.Presets.shades_classic,
      );
      const started = Date.now();
      bar.start(1, 0, { rate: 0, note: 'preparing' });
      const tick = async () => {
        const v = await getIssueView(deps, id);
        const done = v.counts.sent + v.counts.failed + v.counts.suppressed;
        bar.setTotal(Math.max(1, v.counts.total));
        bar.update(done, { rate: Math.round(v.counts.sent / Math.max(1, (Date.now() - started) / 1000)), note: v.pausedReason ?? v.status });
        return v;
      };
      const timer = setInterval(() => void tick(), 500);
      let view = await tick();
      while (view.status === 'sending') {
        const r = await dispatch(deps, { owner, limiter, leaseMs: config.leaseMs, concurrency: config.sendConcurrency });
        view = await tick();
        if (view.status === 'sending') await new Promise((res) => setTimeout(res, r.skipped ? 1000 : 250));
      }
      clearInterval(timer);
      bar.stop();
      const c = view.counts;
      console.log(`${id}: ${view.status}. ${c.sent} sent, ${c.failed} failed, ${c.suppressed} suppressed of ${c.total}.`);
      return view.status === 'sent' ? 0 : 1;
    });
  },
};
