// `recap mailbox`: lists what the dev mailbox holds (mail kept locally when no RESEND_API_KEY is set).
import { listMailbox } from '../db/repos/dev-mailbox.js';
import { parse } from './args.js';
import { withRuntime, type Command } from './runtime.js';

export const mailboxCommand: Command = {
  name: 'mailbox',
  // It was `outbox` until issue 14, when "outbox" came to mean only the delivery queue; the old name still works.
  aliases: ['outbox'],
  usage: 'mailbox [--to address] [--limit 20] [--show id]',
  summary: 'list mail kept in the dev mailbox, newest first',
  run: async (args) => {
    const { values } = parse(args, { to: { type: 'string' }, limit: { type: 'string' }, show: { type: 'string' } });
    await withRuntime(async (rt) => {
      const rows = await listMailbox(rt.deps.db, { to: values.to, limit: Number(values.limit ?? 20) });
      if (values.show) {
        const m = rows.find((r) => r.id === values.show) ?? (await listMailbox(rt.deps.db, { limit: 10_000 })).find((r) => r.id === values.show);
        if (!m) throw new Error(`no message ${values.show}`);
        console.log(`To: ${m.to_addr}\nSubject: ${m.subject}\nHeaders: ${m.headers}\n\n${m.text}`);
        return;
      }
      if (rows.length === 0) console.log('The dev mailbox is empty.');
      for (const r of rows) console.log(`${r.created_at}  ${r.id}  ${r.to_addr.padEnd(32)}  ${r.subject}`);
      console.log(`\nBrowse: ${rt.config.publicUrl}/editor/mailbox`);
    });
  },
};
