// Dates, numbers and durations as editors read them: in the newsletter's time zone, with the zone named.
export function fmtDateTime(iso: string | null | undefined, tz: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(d);
}

export function fmtDate(iso: string | null | undefined, tz: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz, day: 'numeric', month: 'short', year: 'numeric' }).format(d);
}

/** yyyy-mm-dd and hh:mm of an instant on the wall clock of `tz`, for date/time inputs. */
export function wallClockParts(d: Date, tz: string): { date: string; time: string } {
  const p: Record<string, string> = {};
  for (const x of new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(d)) {
    p[x.type] = x.value;
  }
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

export function fmtNum(n: number): string {
  return n.toLocaleString('en-US');
}

export function pct(part: number, whole: number): string {
  if (!whole) return '0%';
  const v = (part * 100) / whole;
  return `${v >= 10 || v === 0 ? Math.round(v) : v.toFixed(1)}%`;
}

export function relativeTime(iso: string, now: Date): string {
  const s = Math.round((now.getTime() - new Date(iso).getTime()) / 1000);
  const a = Math.abs(s);
  if (a < 45) return 'just now';
  const unit = a < 60 ? [a, 'second'] : a < 3600 ? [Math.round(a / 60), 'minute'] : a < 86400 ? [Math.round(a / 3600), 'hour'] : [Math.round(a / 86400), 'day'];
  const [n, u] = unit as [number, string];
  const txt = `${n} ${u}${n === 1 ? '' : 's'}`;
  return s >= 0 ? `${txt} ago` : `in ${txt}`;
}
