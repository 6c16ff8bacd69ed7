// `recap outbox`: lists what the dev outbox holds (mail kept locally when no RESEND_API_KEY is set).
import { listOutbox } from '../db/repos/dev-mailbox.js';
import { parse } from './args.js';
import { withRuntime, type Command } from './runtime.js';

export const outboxCommand: Command = {
  name: 'outbox',
  usage: 'outbox [--to address] [--limit 20] [--show id]',
  summary: 'list mail kept in the dev outbox, newest first',
  run: async (args) => {
    const { values } = parse(args, { to: { type: 'string' }, limit: { type: 'string' }, show: { type: 'string' } });
    await withRuntime(async (rt) => {
      const rows = await listOutbox(rt.deps.db, { to: values.to, limit: Number(values.limit ?? 20) });
      if (values.show) {
        const m = rows.find((r) => r.id === values.show) ?? (await listOutbox(rt.deps.db, { limit: 10_000 })).find((r) => r.id === values.show);
        if (!m) throw new Error(`no message ${values.show}`);
        console.log(`To: ${m.to_addr}\nSubject: ${m.subject}\nHeaders: ${m.headers}\n\n${m.text}`);
        return;
      }
      if (rows.length === 0) console.log('The dev outbox is empty.');
      for (const r of rows) console.log(`${r.created_at}  ${r.id}  ${r.to_addr.padEnd(32)}  ${r.subject}`);
      console.log(`\nBrowse: ${rt.config.publicUrl}/editor/outbox`);
    });
  },
};
