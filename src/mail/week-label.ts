// "Week 48 · 23–29 Nov 2026" from an ISO week id, for headers and subject lines.

/** Monday (UTC) of an ISO-8601 week, or null when `week` is not like 2026-W48. */
export function mondayOfIsoWeek(week: string): Date | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(week.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const w = Number(m[2]);
  if (w < 1 || w > 53) return null;
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const mondayOfWeek1 = Date.UTC(year, 0, 4 - ((jan4.getUTCDay() + 6) % 7));
  return new Date(mondayOfWeek1 + (w - 1) * 7 * 864e5);
}

const dayMonth = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', timeZone: 'UTC' });

export function formatWeekLabel(week: string): string {
  const monday = mondayOfIsoWeek(week);
  if (!monday) return week;
  const sunday = new Date(monday.getTime() + 6 * 864e5);
  const weekNo = Number(week.slice(-2));
  const y1 = monday.getUTCFullYear();
  const y2 = sunday.getUTCFullYear();
  let range: string;
  if (y1 !== y2) range = `${dayMonth.format(monday)} ${y1} – ${dayMonth.format(sunday)} ${y2}`;
  else if (monday.getUTCMonth() !== sunday.getUTCMonth()) range = `${dayMonth.format(monday)} – ${dayMonth.format(sunday)} ${y2}`;
  else range = `${day.format(monday)}–${dayMonth.format(sunday)} ${y2}`;
  return `Week ${weekNo} · ${range}`;
}
