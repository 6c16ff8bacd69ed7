// The week's selection: window, scores, near-duplicate merging (URL, English and CJK titles), topic cap, determinism.
import { describe, expect, it } from 'vitest';
import { defaultScoreWeights, type ScoreWeights } from '../src/config.js';
import type { NewsEvent } from '../src/core/events/event.js';
import { canonicalizeUrl } from '../src/shared/canonical-url.js';
import { selectTopEvents, type SelectOptions } from '../src/core/selection/select-top-events.js';
import { isSameStoryTitle, titleSimilarity, tokenizeTitle } from '../src/core/selection/title-similarity.js';

const WEEK = '2026-W48'; // Mon 2026-11-23 … Sun 2026-11-29
const BERLIN: SelectOptions = { timeZone: 'Europe/Berlin', now: new Date('2026-11-30T06:00:00Z') };

/** A fresh factory per test: unique ids, dissimilar filler titles, mid-week, modest engagement. */
function eventFactory() {
  let next = 1;
  return (over: Partial<NewsEvent> = {}): NewsEvent => {
    const id = over.id ?? next++;
    const url = over.url ?? `https://news.example/story/${id}`;
    return {
      id,
      externalId: `ext-${String(id).padStart(6, '0')}`,
      title: `Filler ${pseudoWord(id)} ${pseudoWord(id * 7 + 3)} ${pseudoWord(id * 13 + 5)}`,
      canonicalUrl: canonicalizeUrl(over.url ?? url),
      sourceName: `Outlet ${id}`,
      sourceUrl: null,
      publishedAt: '2026-11-25T12:00:00.000Z',
      collectedAt: '2026-11-25T12:05:00.000Z',
      category: null,
      topics: ['research'],
      summary: null,
      whyItMatters: null,
      whatToDoNext: null,
      whoShouldCare: null,
      keyTakeaways: [],
      imageUrl: null,
      views: 100,
      clicks: 5,
      shares: 1,
      sourceCount: 1,
      editorBoost: 0,
      ...over,
      url,
    };
  };
}

function pseudoWord(n: number): string {
  const syl = ['ka', 'lo', 'mi', 'ra', 'ten', 'vo', 'zu', 'sha', 'qui', 'bex', 'dor', 'fen'];
  let s = '';
  for (let x = n + 12; x > 0; x = Math.floor(x / 12)) s += syl[x % 12];
  return s;
}

const ids = (items: { event: NewsEvent }[]) => items.map((i) => i.event.id);

describe('week window', () => {
  it('takes Monday 00:00 up to, not including, next Monday 00:00 in the zone', () => {
    const make = eventFactory();
    const events = [
      make({ id: 1, publishedAt: '2026-11-22T22:59:59.999Z' }), // Sunday 23:59:59 Berlin, week before
      make({ id: 2, publishedAt: '2026-11-22T23:00:00.000Z' }), // Monday 00:00 Berlin
      make({ id: 3, publishedAt: '2026-11-29T22:59:00.000Z' }), // Sunday 23:59 Berlin
      make({ id: 4, publishedAt: '2026-11-29T23:00:00.000Z' }), // Monday 00:00 Berlin, next week
      make({ id: 5, publishedAt: '2026-11-29T23:30:00Z' }), // still Sunday in UTC, Monday in Berlin
    ];
    expect(ids(selectTopEvents(events, WEEK, BERLIN)).sort()).toEqual([2, 3]);
    expect(ids(selectTopEvents(events, WEEK, { ...BERLIN, timeZone: 'UTC' })).sort()).toEqual([3, 4, 5]);
  });
  it('returns nothing for a week without events', () => {
    const make = eventFactory();
    expect(selectTopEvents([], WEEK, BERLIN)).toEqual([]);
    expect(selectTopEvents([make({ publishedAt: '2026-12-02T10:00:00Z' })], WEEK, BERLIN)).toEqual([]);
  });
});

describe('scores', () => {
  it('explains each score: weighted terms that add up to the total', () => {
    const make = eventFactory();
    const weights: ScoreWeights = { views: 1, clicks: 2, shares: 3, sources: 4, recency: 2, boost: 5, readerInterest: 0.5 };
    const [item] = selectTopEvents([make({ views: 999, clicks: 99, shares: 9, sourceCount: 3, editorBoost: 1, publishedAt: '2026-11-29T22:00:00Z' })], WEEK, {
      ...BERLIN,
      weights,
    });
    const b = item.breakdown;
    expect(b.views).toBeCloseTo(Math.log(1000), 10);
    expect(b.clicks).toBeCloseTo(2 * Math.log(100), 10);
    expect(b.shares).toBeCloseTo(3 * Math.log(10), 10);
    expect(b.sources).toBeCloseTo(4 * Math.log(3), 10);
    expect(b.recency).toBeCloseTo(2 * (1 - 3_600_000 / (7 * 86_400_000)), 10); // an hour before the week's end
    expect(b.boost).toBe(5);
    expect(b.views + b.clicks + b.shares + b.sources + b.recency + b.boost).toBe(b.total);
    expect(item.score).toBe(b.total);
    expect(item.sourceCount).toBe(3);
  });

  it('ranks by log-scaled engagement, so ten times the views is not ten times the score', () => {
    const make = eventFactory();
    const items = selectTopEvents([make({ id: 1, views: 10 }), make({ id: 2, views: 100_000 }), make({ id: 3, views: 1000 })], WEEK, BERLIN);
    expect(ids(items)).toEqual([2, 3, 1]);
    expect(items[0].breakdown.views / items[1].breakdown.views).toBeLessThan(2);
  });

  it('measures freshness against now while the week is still running', () => {
    const make = eventFactory();
    const events = [make({ id: 1, publishedAt: '2026-11-24T10:00:00Z' }), make({ id: 2, publishedAt: '2026-11-26T10:00:00Z' })];
    const midweek = selectTopEvents(events, WEEK, { ...BERLIN, now: new Date('2026-11-26T10:00:00Z') });
    expect(ids(midweek)).toEqual([2, 1]);
    expect(midweek[0].breakdown.recency).toBeCloseTo(defaultScoreWeights.recency, 10);
    const after = selectTopEvents(events, WEEK, BERLIN);
    expect(after[0].breakdown.recency).toBeLessThan(defaultScoreWeights.recency);
  });

  it('lets the editor boost lift a story and honours configured weights', () => {
    const make = eventFactory();
    const events = [make({ id: 1, views: 5000 }), make({ id: 2, views: 50, editorBoost: 3 })];
    expect(ids(selectTopEvents(events, WEEK, BERLIN))).toEqual([2, 1]);
    const noBoost = { ...defaultScoreWeights, boost: 0 };
    expect(ids(selectTopEvents(events, WEEK, { ...BERLIN, weights: noBoost }))).toEqual([1, 2]);
  });

  it('breaks ties by later publishedAt, then by externalId', () => {
    const make = eventFactory();
    const now = new Date('2026-11-29T12:00:00Z');
    const same = { views: 10, clicks: 0, shares: 0 };
    const weights = { ...defaultScoreWeights, recency: 0 };
    const events = [
      make({ id: 1, externalId: 'b', publishedAt: '2026-11-24T10:00:00Z', ...same }),
      make({ id: 2, externalId: 'a', publishedAt: '2026-11-24T10:00:00Z', ...same }),
      make({ id: 3, externalId: 'c', publishedAt: '2026-11-25T10:00:00Z', ...same }),
    ];
    expect(ids(selectTopEvents(events, WEEK, { ...BERLIN, now, weights }))).toEqual([3, 2, 1]);
  });
});

describe('near-duplicates', () => {
  it('merges events with the same canonical URL and counts their sources', () => {
    const make = eventFactory();
    const events = [
      make({ id: 1, title: 'OpenAI ships a new reasoning model', url: 'https://openai.example/blog/o5?utm_source=x', sourceName: 'OpenAI Blog', views: 900 }),
      make({
        id: 2,
        title: 'A completely different headline for the same page',
        url: 'https://www.openai.example/blog/o5/',
        sourceName: 'Hacker News',
        views: 5000,
      }),
      make({ id: 3, title: 'Something else entirely', views: 10 }),
    ];
    const items = selectTopEvents(events, WEEK, BERLIN);
    expect(items).toHaveLength(2);
    expect(items[0].event.id).toBe(2); // the better-scoring representative
    expect(items[0].mergedEventIds).toEqual([1]);
    expect(items[0].sourceCount).toBe(2);
    expect(items[0].breakdown.sources).toBeCloseTo(defaultScoreWeights.sources * Math.log(2), 10);
  });

  it('merges re-written English headlines from different outlets', () => {
    const make = eventFactory();
    const events = [
      make({ id: 1, title: 'OpenAI launches GPT-5 with better reasoning', sourceName: 'The Verge', views: 4000 }),
      make({ id: 2, title: 'OpenAI Launches GPT‑5, With Better Reasoning and Lower Prices 🚀', sourceName: 'TechCrunch', views: 3000 }),
      make({ id: 3, title: 'OPENAI RELEASED GPT-5 WITH BETTER REASONING', sourceName: 'Wired', sourceCount: 2 }),
      make({ id: 4, title: 'OpenAI delays GPT-5 in Europe', sourceName: 'Reuters', views: 2000 }),
    ];
    const items = selectTopEvents(events, WEEK, BERLIN);
    expect(ids(items)).toEqual([1, 4]);
    expect(items[0].mergedEventIds).toEqual([2, 3]);
    expect(items[0].sourceCount).toBe(4); // Verge + TechCrunch + Wired's own count of 2
  });

  it('merges CJK headlines about the same story (character bigrams), not different stories', () => {
    const make = eventFactory();
    const events = [
      make({ id: 1, title: 'OpenAI发布GPT-5，推理能力大幅提升', sourceName: '36氪', views: 3000 }),
      make({ id: 2, title: 'OpenAI发布GPT-5：推理能力大幅提升，免费用户也能用', sourceName: '虎嗅', views: 2000 }),
      make({ id: 3, title: '英伟达发布新一代Blackwell芯片', sourceName: '机器之心', views: 1500 }),
      make({ id: 4, title: '英伟达推出新一代Blackwell芯片', sourceName: '量子位', views: 1000 }),
      make({ id: 5, title: '智谱发布GLM-5，号称国内最强开源模型', sourceName: '36氪', views: 900 }),
    ];
    const items = selectTopEvents(events, WEEK, BERLIN);
    expect(ids(items)).toEqual([1, 3, 5]);
    expect(items.map((i) => i.mergedEventIds)).toEqual([[2], [4], []]);
    expect(items[0].sourceCount).toBe(2);
  });

  it('counts an outlet once however many of its events merge', () => {
    const make = eventFactory();
    const events = [
      make({ id: 1, title: 'Anthropic raises $13B at a $183B valuation', sourceName: 'Reuters', sourceCount: 3 }),
      make({ id: 2, title: 'Anthropic raises $13B at $183B valuation', sourceName: ' reuters ', sourceCount: 1 }),
      make({ id: 3, title: 'Anthropic raises $13B at a $183B valuation (update)', sourceName: 'Bloomberg', sourceCount: 1 }),
    ];
    const [item] = selectTopEvents(events, WEEK, BERLIN);
    expect(item.mergedEventIds).toHaveLength(2);
    expect(item.sourceCount).toBe(4); // Reuters (largest count 3) + Bloomberg
  });

  it('merges a title that resembles any headline of the leading page, not only its best one', () => {
    const make = eventFactory();
    const events = [
      make({ id: 1, title: 'Kestrel Falconry drone', url: 'https://kestrel.example/launch', views: 9000 }),
      make({ id: 2, title: 'Kestrel Falconry open weights agents', url: 'https://kestrel.example/launch?utm_source=x', views: 50 }),
      make({ id: 3, title: 'Kestrel Falconry open weights agents today', url: 'https://blog.example/p/1', views: 40 }),
      // Unrelated stories make "open weights agents today" common words, so event 3 first meets the
      // page through "Kestrel Falconry drone" (and fails) before meeting its second headline.
      ...[4, 5, 6].map((id) =>
        make({ id, title: `open weights agents today ${pseudoWord(id)} ${pseudoWord(id * 5)} ${pseudoWord(id * 9)} ${pseudoWord(id * 17)}`, views: 10 }),
      ),
    ];
    const [item] = selectTopEvents(events, WEEK, BERLIN);
    expect(item.event.id).toBe(1);
    expect(item.mergedEventIds).toEqual([2, 3]);
  });

  it('never merges by title when a title has no words (emoji, punctuation)', () => {
    const make = eventFactory();
    const items = selectTopEvents([make({ id: 1, title: '🚀🚀' }), make({ id: 2, title: '🚀🚀' }), make({ id: 3, title: '!!!' })], WEEK, BERLIN);
    expect(items.map((i) => i.mergedEventIds)).toEqual([[], [], []]);
  });

  it('does not chain: a story only absorbs what resembles its own headlines', () => {
    const make = eventFactory();
    const events = [
      make({ id: 1, title: 'alpha beta gamma delta epsilon', views: 9000 }),
      make({ id: 2, title: 'alpha beta gamma delta zeta', views: 500 }), // 4/6 like 1
      make({ id: 3, title: 'alpha beta gamma theta zeta', views: 400 }), // 4/6 like 2, 3/7 like 1
    ];
    const items = selectTopEvents(events, WEEK, BERLIN);
    expect(items.map((i) => [i.event.id, ...i.mergedEventIds])).toEqual([[1, 2], [3]]);
  });

  it('merges low-scoring duplicates of a top story even among thousands of events', () => {
    const make = eventFactory();
    const filler = Array.from({ length: 3000 }, () => make({ views: 20 }));
    const top = make({ title: 'Google DeepMind unveils Gemini 3 Ultra', url: 'https://deepmind.example/gemini-3', views: 90_000 });
    const page = make({ title: 'Gemini 3 Ultra: everything DeepMind announced', url: 'https://deepmind.example/gemini-3/', views: 1 });
    const tail = [
      make({ title: 'Google DeepMind unveils Gemini 3 Ultra today', views: 0, clicks: 0, shares: 0 }),
      make({ title: 'Everything DeepMind announced: Gemini 3 Ultra', views: 0, clicks: 0, shares: 0 }),
      make({ title: 'Gemini 3 Ultra: everything DeepMind announced', url: 'https://mirror.example/x?utm_medium=rss', views: 0, clicks: 0, shares: 0 }),
      make({ title: 'Gemini 3 Ultra: everything DeepMind announced', url: 'https://mirror.example/x', views: 0, clicks: 0, shares: 0 }),
    ];
    const events = [...filler, ...tail, page, top];
    const [item] = selectTopEvents(events, WEEK, { ...BERLIN, size: 3 });
    expect(item.event.id).toBe(top.id);
    expect(item.mergedEventIds).toEqual([page.id, ...tail.map((e) => e.id)].sort((a, b) => a - b));
    expect(selectTopEvents(events, WEEK, { ...BERLIN, size: 3, exhaustive: true })).toEqual(selectTopEvents(events, WEEK, { ...BERLIN, size: 3 }));
  });
  it('still finds a story carried by many weak events when strong candidates cannot rule it out', () => {
    const make = eventFactory();
    const topics = ['models', 'compute', 'policy', 'research', 'funding', 'tools', 'safety', 'products'];
    const filler = Array.from({ length: 1100 }, (_, i) => make({ views: 100 + (i % 50), topics: [topics[i % 8]] }));
    const big = make({ title: 'Nvidia unveils Rubin GPUs at GTC', views: 100_000, topics: ['compute'] });
    const bigTail = Array.from({ length: 29 }, (_, i) =>
      make({ title: `Nvidia unveils Rubin GPUs at GTC ${i % 2 ? 'today' : 'live'}`, views: 0, clicks: 0, shares: 0, topics: ['compute'] }),
    );
    // Twenty small blogs, each barely read, all covering one story: 20 sources lift it above the filler.
    const mass = Array.from({ length: 20 }, (_, i) =>
      make({ title: `Open-source Kettle 2 model tops coding leaderboard${i % 2 ? ' today' : ''}`, views: 10, clicks: 0, shares: 0, topics: ['tools'] }),
    );
    const events = [...filler, big, ...bigTail, ...mass];
    const options = { ...BERLIN, size: 10, maxPerTopic: 3 };
    const items = selectTopEvents(events, WEEK, options);
    expect(items.slice(0, 2).map((i) => [i.event.title, i.sourceCount])).toEqual([
      [big.title, 30],
      [mass[0].title, 20],
    ]);
    expect(items).toEqual(selectTopEvents(events, WEEK, { ...options, exhaustive: true }));
  });
});

describe('topic diversity', () => {
  it('takes at most maxPerTopic stories per primary topic and fills with the next best', () => {
    const make = eventFactory();
    const events = [
      ...[1, 2, 3, 4, 5].map((id) => make({ id, topics: ['models'], views: 10_000 - id })),
      make({ id: 6, topics: ['policy', 'models'], views: 50 }),
      make({ id: 7, topics: [], category: 'Funding', views: 40 }),
      make({ id: 8, topics: [], category: null, views: 30 }),
    ];
    const items = selectTopEvents(events, WEEK, { ...BERLIN, size: 5, maxPerTopic: 2 });
    expect(ids(items)).toEqual([1, 2, 6, 7, 8]);
    expect(items.map((i) => i.topic)).toEqual(['models', 'models', 'policy', 'funding', 'other']);
  });

  it('returns fewer items than asked when the cap leaves nothing else', () => {
    const make = eventFactory();
    const events = [1, 2, 3, 4].map((id) => make({ id, topics: ['tools'] }));
    expect(selectTopEvents(events, WEEK, { ...BERLIN, size: 10, maxPerTopic: 3 })).toHaveLength(3);
  });
});

describe('determinism', () => {
  it('gives the same result for any input order', () => {
    const events = syntheticWeek(1500);
    const options = { ...BERLIN, size: 10, maxPerTopic: 3 };
    const expected = selectTopEvents(events, WEEK, options);
    expect(expected).toHaveLength(10);
    expect(expected.some((i) => i.mergedEventIds.length > 0)).toBe(true);
    let seed = 1;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let run = 0; run < 4; run++) {
      const shuffled = [...events];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      expect(selectTopEvents(shuffled, WEEK, options)).toEqual(expected);
    }
  });

  it('agrees with the exhaustive selection when only the strongest events may lead', () => {
    const events = syntheticWeek(4000);
    for (const size of [3, 10]) {
      const options = { ...BERLIN, size, maxPerTopic: 2 };
      expect(selectTopEvents(events, WEEK, options)).toEqual(selectTopEvents(events, WEEK, { ...options, exhaustive: true }));
    }
  });
});

describe('title similarity', () => {
  it('normalises case, width, punctuation and emoji, and stems lightly', () => {
    expect(tokenizeTitle('ＯｐｅｎＡＩ Releases GPT‑5!!! 🚀').tokens).toEqual(['openai', 'releas', 'gpt', '5']);
    expect(tokenizeTitle('The companies released their models').tokens).toEqual(['compan', 'releas', 'their', 'model']);
  });

  it('cuts CJK runs into character bigrams', () => {
    expect(tokenizeTitle('英伟达发布芯片').tokens).toEqual(['英伟', '伟达', '达发', '发布', '布芯', '芯片']);
    expect(tokenizeTitle('英伟达发布芯片').cjk).toBe(true);
    expect(tokenizeTitle('OpenAI发布GPT-5').cjk).toBe(false); // 1 bigram among 4 tokens
  });

  it('matches the examples the thresholds were chosen on', () => {
    expect(isSameStoryTitle('OpenAI launches GPT-5 with better reasoning', 'OpenAI launches GPT-5, with better reasoning and lower prices')).toBe(true);
    expect(isSameStoryTitle('OpenAI delays GPT-5 in Europe', 'OpenAI launches GPT-5')).toBe(false);
    expect(isSameStoryTitle('Nvidia stock falls after earnings', 'Nvidia earnings beat expectations')).toBe(false);
    expect(titleSimilarity('英伟达发布新一代Blackwell芯片', '英伟达推出新一代Blackwell芯片')).toBe(0.5);
    expect(isSameStoryTitle('英伟达发布新一代Blackwell芯片', '英伟达推出新一代Blackwell芯片')).toBe(true);
    expect(isSameStoryTitle('智谱发布GLM-5，号称国内最强开源模型', '月之暗面发布Kimi K2开源模型，性能对标GPT-4')).toBe(false);
  });
});

/** Stories with 1-6 copies (re-written titles, tracking URLs), a few topics, varied engagement. */
function syntheticWeek(count: number): NewsEvent[] {
  const make = eventFactory();
  let seed = 42;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const topics = ['models', 'policy', 'compute', 'tools'];
  const events: NewsEvent[] = [];
  for (let story = 1; events.length < count; story++) {
    const words = [pseudoWord(story * 3), pseudoWord(story * 5 + 1), 'launches', pseudoWord(story * 11 + 2), 'model'];
    const copies = rnd() < 0.7 ? 1 : 2 + Math.floor(rnd() * 5);
    const views = Math.floor(Math.exp(2 + rnd() * 8));
    const topic = topics[Math.floor(rnd() * topics.length)];
    for (let c = 0; c < copies && events.length < count; c++) {
      const title = c === 0 ? words.join(' ') : `${words.join(' ')} ${c % 2 ? 'today' : '| Outlet'}`;
      const url = c > 0 && rnd() < 0.3 ? `https://news.example/story/s${story}?utm_source=c${c}` : `https://news.example/story/s${story}-${c}`;
      events.push(
        make({
          title,
          url,
          topics: [topic],
          views: Math.floor(views * (0.2 + rnd())),
          clicks: Math.floor(views * 0.05 * rnd()),
          sourceName: `Outlet ${Math.floor(rnd() * 40)}`,
        }),
      );
    }
  }
  return events;
}
