// ISO weeks and zoned wall-clock times, pinned to real calendar and tz-database facts.
import { describe, expect, it } from 'vitest';
import {
  formatIsoWeek,
  isoWeekOf,
  isValidIsoWeek,
  nextWeek,
  nextWeeklySlot,
  parseIsoWeek,
  previousWeek,
  weekFromSlug,
  weekLabel,
  weeksInIsoYear,
  weekSlug,
  weekWindow,
  zonedDateTimeToUtc,
} from '../src/core/issues/iso-week.js';

const HOUR = 3_600_000;
const hours = (w: { start: Date; end: Date }) => (w.end.getTime() - w.start.getTime()) / HOUR;

describe('parsing and formatting', () => {
  it('round-trips week strings and slugs', () => {
    expect(parseIsoWeek('2026-W48')).toEqual({ year: 2026, week: 48 });
    expect(formatIsoWeek({ year: 2026, week: 1 })).toBe('2026-W01');
    expect(weekSlug('2026-W48')).toBe('2026-w48');
    expect(weekFromSlug('2026-w48')).toBe('2026-W48');
  });

  it('rejects malformed weeks and week 53 in a 52-week year', () => {
    for (const bad of ['2026-48', '2026-W4', '2026-W00', '2027-W53', 'W48-2026', '']) {
      expect(isValidIsoWeek(bad), bad).toBe(false);
      expect(() => parseIsoWeek(bad)).toThrow(RangeError);
    }
    expect(isValidIsoWeek('2020-W53')).toBe(true);
    expect(isValidIsoWeek('2026-W53')).toBe(true);
  });

  it('knows which years have 53 weeks (2015, 2020, 2026, 2032 do; 2021, 2027, 2028 do not)', () => {
    expect([2015, 2020, 2021, 2026, 2027, 2028, 2032].map(weeksInIsoYear)).toEqual([53, 53, 52, 53, 52, 52, 53]);
  });

  it('steps across year boundaries', () => {
    expect(nextWeek('2020-W53')).toBe('2021-W01');
    expect(previousWeek('2021-W01')).toBe('2020-W53');
    expect(nextWeek('2027-W52')).toBe('2028-W01');
    expect(previousWeek('2026-W01')).toBe('2025-W52');
    expect(nextWeek('2026-W48')).toBe('2026-W49');
  });
});

describe('isoWeekOf', () => {
  it('puts dates near new year into the ISO year of their Thursday', () => {
    const cases: Array<[string, string]> = [
      ['2020-12-28T12:00:00Z', '2020-W53'], // Monday
      ['2021-01-03T12:00:00Z', '2020-W53'], // Sunday
      ['2021-01-04T12:00:00Z', '2021-W01'],
      ['2025-12-28T12:00:00Z', '2025-W52'],
      ['2025-12-29T12:00:00Z', '2026-W01'], // 2026-W01 starts in 2025
      ['2026-01-01T12:00:00Z', '2026-W01'],
      ['2026-12-28T12:00:00Z', '2026-W53'],
      ['2027-01-03T12:00:00Z', '2026-W53'],
      ['2027-12-27T12:00:00Z', '2027-W52'],
      ['2028-01-02T12:00:00Z', '2027-W52'],
      ['2028-01-03T12:00:00Z', '2028-W01'],
    ];
    for (const [iso, week] of cases) expect(isoWeekOf(new Date(iso), 'UTC'), iso).toBe(week);
  });

  it('reads the date on the wall clock of the zone, not in UTC', () => {
    // Sunday 2026-11-29 23:30 in Berlin is 22:30 UTC: still W48 there.
    expect(isoWeekOf(new Date('2026-11-29T22:30:00Z'), 'Europe/Berlin')).toBe('2026-W48');
    // Monday 00:30 in Berlin is Sunday 23:30 UTC: already W49 in Berlin, still W48 in UTC.
    expect(isoWeekOf(new Date('2026-11-29T23:30:00Z'), 'Europe/Berlin')).toBe('2026-W49');
    expect(isoWeekOf(new Date('2026-11-29T23:30:00Z'), 'UTC')).toBe('2026-W48');
    // Monday 03:00 UTC is still Sunday evening in New York.
    expect(isoWeekOf(new Date('2026-11-30T03:00:00Z'), 'America/New_York')).toBe('2026-W48');
    // Across new year in Tokyo (UTC+9): 2025-12-28 20:00 UTC is Monday 2025-12-29 05:00 there.
    expect(isoWeekOf(new Date('2025-12-28T20:00:00Z'), 'Asia/Tokyo')).toBe('2026-W01');
  });
});

describe('weekWindow', () => {
  it('runs Monday 00:00 to the next Monday 00:00 in the zone', () => {
    expect(weekWindow('2026-W48', 'UTC')).toEqual({
      start: new Date('2026-11-23T00:00:00Z'),
      end: new Date('2026-11-30T00:00:00Z'),
    });
    expect(weekWindow('2026-W48', 'Europe/Berlin')).toEqual({
      start: new Date('2026-11-22T23:00:00Z'),
      end: new Date('2026-11-29T23:00:00Z'),
    });
    expect(weekWindow('2026-W01', 'UTC').start).toEqual(new Date('2025-12-29T00:00:00Z'));
    expect(weekWindow('2020-W53', 'UTC')).toEqual({
      start: new Date('2020-12-28T00:00:00Z'),
      end: new Date('2021-01-04T00:00:00Z'),
    });
  });

  it('is 167 hours in a spring-forward week and 169 in a fall-back week (Europe/Berlin)', () => {
    // CET→CEST on Sunday 2026-03-29, CEST→CET on Sunday 2026-10-25.
    const spring = weekWindow('2026-W13', 'Europe/Berlin');
    expect(spring.start).toEqual(new Date('2026-03-22T23:00:00Z'));
    expect(spring.end).toEqual(new Date('2026-03-29T22:00:00Z'));
    expect(hours(spring)).toBe(167);
    const autumn = weekWindow('2026-W43', 'Europe/Berlin');
    expect(autumn.start).toEqual(new Date('2026-10-18T22:00:00Z'));
    expect(autumn.end).toEqual(new Date('2026-10-25T23:00:00Z'));
    expect(hours(autumn)).toBe(169);
    expect(hours(weekWindow('2026-W12', 'Europe/Berlin'))).toBe(168);
  });

  it('is 167 and 169 hours around the DST changes in America/New_York', () => {
    // EST→EDT on Sunday 2026-03-08, EDT→EST on Sunday 2026-11-01.
    const spring = weekWindow('2026-W10', 'America/New_York');
    expect(spring.start).toEqual(new Date('2026-03-02T05:00:00Z'));
    expect(spring.end).toEqual(new Date('2026-03-09T04:00:00Z'));
    expect(hours(spring)).toBe(167);
    expect(hours(weekWindow('2026-W44', 'America/New_York'))).toBe(169);
    expect(hours(weekWindow('2026-W45', 'America/New_York'))).toBe(168);
  });

  it('tiles time: each week ends where the next begins', () => {
    let week = '2025-W50';
    for (let i = 0; i < 60; i++) {
      const next = nextWeek(week);
      expect(weekWindow(week, 'Europe/Berlin').end).toEqual(weekWindow(next, 'Europe/Berlin').start);
      week = next;
    }
  });
});

describe('weekLabel', () => {
  it('names the Monday–Sunday span', () => {
    expect(weekLabel('2026-W48', 'UTC')).toBe('Nov 23 – 29, 2026');
    expect(weekLabel('2026-W49', 'Europe/Berlin')).toBe('Nov 30 – Dec 6, 2026');
    expect(weekLabel('2026-W53', 'UTC')).toBe('Dec 28, 2026 – Jan 3, 2027');
    expect(weekLabel('2026-W01', 'UTC')).toBe('Dec 29, 2025 – Jan 4, 2026');
  });
});

describe('zonedDateTimeToUtc', () => {
  it('converts ordinary wall-clock times', () => {
    expect(zonedDateTimeToUtc(2026, 11, 30, 8, 0, 'Europe/Berlin')).toEqual(new Date('2026-11-30T07:00:00Z'));
    expect(zonedDateTimeToUtc(2026, 7, 6, 8, 0, 'Europe/Berlin')).toEqual(new Date('2026-07-06T06:00:00Z'));
    expect(zonedDateTimeToUtc(2026, 7, 6, 8, 0, 'America/New_York')).toEqual(new Date('2026-07-06T12:00:00Z'));
    expect(zonedDateTimeToUtc(2026, 7, 6, 8, 0, 'Asia/Kolkata')).toEqual(new Date('2026-07-06T02:30:00Z'));
  });

  it('moves a time skipped by spring-forward past the gap', () => {
    // 02:30 does not exist in Berlin on 2026-03-29; read with the CET offset it is 03:30 CEST.
    expect(zonedDateTimeToUtc(2026, 3, 29, 2, 30, 'Europe/Berlin')).toEqual(new Date('2026-03-29T01:30:00Z'));
  });

  it('takes the first occurrence of a time repeated at fall-back', () => {
    // 02:30 happens twice in Berlin on 2026-10-25: first at 00:30 UTC (CEST), again at 01:30 UTC (CET).
    expect(zonedDateTimeToUtc(2026, 10, 25, 2, 30, 'Europe/Berlin')).toEqual(new Date('2026-10-25T00:30:00Z'));
    expect(zonedDateTimeToUtc(2026, 11, 1, 1, 30, 'America/New_York')).toEqual(new Date('2026-11-01T05:30:00Z'));
  });
});

describe('nextWeeklySlot', () => {
  const mondayEight = { isoWeekday: 1, hour: 8, minute: 0 };

  it('finds the coming Monday 08:00 in the zone', () => {
    // Draft built Sunday 2026-11-29 18:00 Berlin → send Monday 2026-11-30 08:00 Berlin.
    expect(nextWeeklySlot(new Date('2026-11-29T17:00:00Z'), mondayEight, 'Europe/Berlin')).toEqual(new Date('2026-11-30T07:00:00Z'));
  });

  it('is strictly after the given instant', () => {
    const at = new Date('2026-11-30T07:00:00Z');
    expect(nextWeeklySlot(at, mondayEight, 'Europe/Berlin')).toEqual(new Date('2026-12-07T07:00:00Z'));
    expect(nextWeeklySlot(new Date(at.getTime() - 1), mondayEight, 'Europe/Berlin')).toEqual(at);
  });

  it('keeps the wall-clock time across a DST change', () => {
    // Sunday 2026-10-25 is the fall-back day in Berlin: Monday 08:00 is now CET (UTC+1).
    expect(nextWeeklySlot(new Date('2026-10-24T12:00:00Z'), mondayEight, 'Europe/Berlin')).toEqual(new Date('2026-10-26T07:00:00Z'));
    // Spring: Monday 2026-03-30 08:00 CEST is 06:00 UTC.
    expect(nextWeeklySlot(new Date('2026-03-27T12:00:00Z'), mondayEight, 'Europe/Berlin')).toEqual(new Date('2026-03-30T06:00:00Z'));
  });

  it('uses the weekday of the zone, not of UTC', () => {
    // Sunday 2026-11-29 23:30 UTC is already Monday 08:30 in Tokyo: the Monday slot has passed there.
    const sundayLateUtc = new Date('2026-11-29T23:30:00Z');
    expect(nextWeeklySlot(sundayLateUtc, mondayEight, 'Asia/Tokyo')).toEqual(new Date('2026-12-06T23:00:00Z'));
    expect(nextWeeklySlot(sundayLateUtc, mondayEight, 'UTC')).toEqual(new Date('2026-11-30T08:00:00Z'));
  });
});
