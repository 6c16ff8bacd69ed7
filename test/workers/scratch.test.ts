import { env } from 'cloudflare:test';
import { it } from 'vitest';
it('probe', async () => {
  const q = `SELECT ${Array.from({ length: 150 }, () => '?').join(' + ')} AS s`;
  try { console.log('150 params:', JSON.stringify((await env.DB.prepare(q).bind(...Array(150).fill(1)).all()).results)); } catch (e) { console.log('150 params refused:', String(e)); }
  try { console.log('BEGIN:', JSON.stringify(await env.DB.prepare('BEGIN IMMEDIATE').all())); } catch (e) { console.log('BEGIN refused:', String(e)); }
  try { console.log('sqlite_master:', JSON.stringify((await env.DB.prepare("SELECT name FROM sqlite_master WHERE type='table' LIMIT 2").all()).results)); } catch (e) { console.log('introspection refused:', String(e)); }
});
