// ISO-8601 weeks ("2026-W48") and wall-clock times in an IANA zone, so a newsletter week is Monday to Monday where the editor lives.
// Pure: zone offsets come from Intl.DateTimeFormat, calendar maths is done on UTC day numbers.

export interface IsoWeek {
  year: number;
  week: number;
}

export interface WeeklySlot {
  /** 1 = Monday … 7 = Sunday */
  isoWeekday: number;
  hour: number;
  minute: number;
}

const DAY_MS = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// ---------------------------------------------------------------------------------------------
// Calendar maths on UTC day numbers (days since 1970-01-01); no time zone involved.

function dayNumber(y: number, m: number, d: number): number {
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}

function ymdOfDay(day: number): { y: number; m: number; d: number } {
  const t = new Date(day * DAY_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** 1 = Monday … 7 = Sunday. 1970-01-01 was a Thursday. */
function isoWeekdayOfDay(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** Day number of the Monday that starts ISO week 1 (the week holding 4 January). */
function mondayOfWeekOne(year: number): number {
  const jan4 = dayNumber(year, 1, 4);
  return jan4 - (isoWeekdayOfDay(jan4) - 1);
}

/** 53 when the year starts on a Thursday, or is a leap year starting on a Wednesday; else 52. */
export function weeksInIsoYear(year: number): number {
  return (mondayOfWeekOne(year + 1) - mondayOfWeekOne(year)) / 7;
}

function isoWeekOfDay(day: number): IsoWeek {
  const thursday = day + (4 - isoWeekdayOfDay(day)); // the week belongs to the year of its Thursday
  const year = ymdOfDay(thursday).y;
  return { year, week: Math.floor((thursday - mondayOfWeekOne(year)) / 7) + 1 };
}

// ---------------------------------------------------------------------------------------------
// Parsing and formatting.

/** Accepts "2026-W48" and the slug form "2026-w48"; rejects week 53 in a 52-week year. */
export function parseIsoWeek(value: string): IsoWeek {
  const m = /^(\d{4})-[Ww](\d{2})$/.exec(value.trim());
  if (!m) throw new RangeError(`"${value}" is not an ISO week like 2026-W48`);
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1 || week > weeksInIsoYear(year)) {
    throw new RangeError(`${year} has no ISO week ${week} (it has ${weeksInIsoYear(year)})`);
  }
  return { year, week };
}

export function isValidIsoWeek(value: string): boolean {
  try {
    parseIsoWeek(value);
    return true;
  } catch {
    return false;
  }
}

export function formatIsoWeek({ year, week }: IsoWeek): string {
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/** "2026-W48" → "2026-w48" (issue ids and archive URLs are lower case). */
export function weekSlug(week: string): string {
  return formatIsoWeek(parseIsoWeek(week)).toLowerCase();
}

/** "2026-w48" → "2026-W48". */
export function weekFromSlug(slug: string): string {
  return formatIsoWeek(parseIsoWeek(slug));
}

function shiftWeek(week: string, by: number): string {
  const monday = mondayDay(parseIsoWeek(week)) + by * 7;
  return formatIsoWeek(isoWeekOfDay(monday));
}

export function previousWeek(week: string): string {
  return shiftWeek(week, -1);
}

export function nextWeek(week: string): string {
  return shiftWeek(week, 1);
}

function mondayDay({ year, week }: IsoWeek): number {
  return mondayOfWeekOne(year) + (week - 1) * 7;
}

// ---------------------------------------------------------------------------------------------
// Time zones.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallClock {
  y: number;
  m: number;
  d: number;
  h: number;
  min: number;
  s: number;
}

/** The wall-clock reading in `timeZone` at `instantMs`. */
function wallClockAt(instantMs: number, timeZone: string): WallClock {
  const out: WallClock = { y: 0, m: 0, d: 0, h: 0, min: 0, s: 0 };
  for (const p of formatterFor(timeZone).formatToParts(new Date(instantMs))) {
    if (p.type === 'year') out.y = Number(p.value);
    else if (p.type === 'month') out.m = Number(p.value);
    else if (p.type === 'day') out.d = Number(p.value);
    else if (p.type === 'hour') out.h = Number(p.value);
    else if (p.type === 'minute') out.min = Number(p.value);
    else if (p.type === 'second') out.s = Number(p.value);
  }
  return out;
}

/** Milliseconds to add to UTC to get the wall clock in `timeZone` at that instant (+3_600_000 for CET). */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  const w = wallClockAt(whole, timeZone);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s) - whole;
}

/**
 * The instant at which the wall clock in `timeZone` shows y-m-d h:min.
 * Like Temporal's "compatible" disambiguation: a time skipped by a spring-forward gap is read with
 * the offset before the gap (02:30 becomes 03:30), a repeated autumn time takes its first occurrence.
 */
export function zonedDateTimeToUtc(y: number, m: number, d: number, h: number, min: number, timeZone: string): Date {
  const asUtc = Date.UTC(y, m - 1, d, h, min);
  // Offsets a day either side bracket any single transition near this time.
  const before = zoneOffsetMs(asUtc - DAY_MS, timeZone);
  const after = zoneOffsetMs(asUtc + DAY_MS, timeZone);
  const valid = [before, after].map((o) => asUtc - o).filter((t) => zoneOffsetMs(t, timeZone) === asUtc - t);
  if (valid.length > 0) return new Date(Math.min(...valid));
  return new Date(asUtc - before);
}

/** The ISO week that `date` falls in, read on the wall clock of `timeZone`. */
export function isoWeekOf(date: Date, timeZone: string): string {
  const w = wallClockAt(date.getTime(), timeZone);
  return formatIsoWeek(isoWeekOfDay(dayNumber(w.y, w.m, w.d)));
}

/** Monday 00:00 to the next Monday 00:00 in `timeZone`; `end` is exclusive (167 or 169 hours across DST). */
export function weekWindow(week: string, timeZone: string): { start: Date; end: Date } {
  const monday = mondayDay(parseIsoWeek(week));
  const a = ymdOfDay(monday);
  const b = ymdOfDay(monday + 7);
  return {
    start: zonedDateTimeToUtc(a.y, a.m, a.d, 0, 0, timeZone),
    end: zonedDateTimeToUtc(b.y, b.m, b.d, 0, 0, timeZone),
  };
}

/**
 * "Nov 23 – 29, 2026", "Nov 30 – Dec 6, 2026" or "Dec 28, 2026 – Jan 3, 2027".
 * The calendar days of an ISO week are the same in every zone, so the zone is not needed.
 */
export function weekLabel(week: string, _timeZone?: string): string {
  const monday = mondayDay(parseIsoWeek(week));
  const a = ymdOfDay(monday);
  const b = ymdOfDay(monday + 6);
  const ma = MONTHS[a.m - 1];
  const mb = MONTHS[b.m - 1];
  if (a.y !== b.y) return `${ma} ${a.d}, ${a.y} – ${mb} ${b.d}, ${b.y}`;
  if (a.m !== b.m) return `${ma} ${a.d} – ${mb} ${b.d}, ${b.y}`;
  return `${ma} ${a.d} – ${b.d}, ${b.y}`;
}

/**
 * The first instant strictly after `after` at which the wall clock in `timeZone` shows the slot
 * (e.g. Monday 08:00), so a draft built Sunday evening is scheduled for the next morning.
 */
export function nextWeeklySlot(after: Date, slot: WeeklySlot, timeZone: string): Date {
  const w = wallClockAt(after.getTime(), timeZone);
  const today = dayNumber(w.y, w.m, w.d);
  const first = today + ((slot.isoWeekday - isoWeekdayOfDay(today) + 7) % 7);
  for (let day = first; ; day += 7) {
    const c = ymdOfDay(day);
    const t = zonedDateTimeToUtc(c.y, c.m, c.d, slot.hour, slot.minute, timeZone);
    if (t.getTime() > after.getTime()) return t;
  }
}
