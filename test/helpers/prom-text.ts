// A strict parser of the Prometheus text exposition format (0.0.4): any line it cannot account for is an error.
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: MetricType;
  help?: string;
  samples: Sample[];
}

export interface Exposition {
  families: Map<string, Family>;
  samples: Sample[];
  /** Sum of the samples named `name` whose labels include `labels` (0 when none: a series not yet created). */
  sum(name: string, labels?: Record<string, string>): number;
  /** The one sample named `name` with exactly these labels, or undefined. */
  get(name: string, labels?: Record<string, string>): number | undefined;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** As Prometheus reads values (Go's ParseFloat): NaN and [+-]Inf[inity] in any case (prom-client writes "Nan"). */
function parseValue(raw: string, where: string): number {
  if (/^nan$/i.test(raw)) return NaN;
  const inf = /^([-+]?)inf(inity)?$/i.exec(raw);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(raw)) throw new Error(`${where}: "${raw}" is not a sample value`);
  return Number(raw);
}

/** Labels `{a="x",b="y\"z"}` from `text` at `i` (just after `{`); returns the labels and the index after `}`. */
function parseLabels(text: string, i: number, where: string): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  for (;;) {
    if (text[i] === '}') return { labels, end: i + 1 };
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new Error(`${where}: label without "="`);
    const name = text.slice(i, eq);
    if (!LABEL_NAME.test(name)) throw new Error(`${where}: bad label name "${name}"`);
    if (name in labels) throw new Error(`${where}: label "${name}" twice`);
    if (text[eq + 1] !== '"') throw new Error(`${where}: label value of "${name}" is not quoted`);
    let j = eq + 2;
    let value = '';
    for (;;) {
      const ch = text[j];
      if (ch === undefined) throw new Error(`${where}: unterminated label value`);
      if (ch === '"') break;
      if (ch === '\\') {
        const next = text[j + 1];
        if (next === '\\') value += '\\';
        else if (next === '"') value += '"';
        else if (next === 'n') value += '\n';
        else throw new Error(`${where}: bad escape "\\${next}" in a label value`);
        j += 2;
        continue;
      }
      value += ch;
      j += 1;
    }
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i += 1;
    else if (text[i] !== '}') throw new Error(`${where}: expected "," or "}" after label "${name}"`);
  }
}

/** The family a sample belongs to: histograms and summaries add _bucket/_sum/_count to their name. */
function familyOf(sample: string, families: Map<string, Family>): Family | undefined {
  const direct = families.get(sample);
  if (direct) return direct;
  const m = /^(.*)_(bucket|sum|count)$/.exec(sample);
  const f = m ? families.get(m[1]) : undefined;
  if (!f) return undefined;
  if (m![2] === 'bucket' && f.type !== 'histogram') return undefined;
  return f.type === 'histogram' || f.type === 'summary' ? f : undefined;
}

const seriesKey = (name: string, labels: Record<string, string>) =>
  `${name}{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',')}}`;

export function parsePrometheusText(text: string): Exposition {
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('exposition does not end with a newline');
  const families = new Map<string, Family>();
  const samples: Sample[] = [];
  const seen = new Set<string>();
  const finished = new Set<string>(); // families whose block ended: their samples must be contiguous
  let current: Family | undefined;
  const lines = text.split('\n');
  lines.pop(); // after the final newline

  lines.forEach((line, n) => {
    const where = `line ${n + 1}`;
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!m) {
        if (/^# (HELP|TYPE)\b/.test(line)) throw new Error(`${where}: malformed ${line.slice(2, 6)} line`);
        return; // a plain comment
      }
      const [, kind, name, rest] = m;
      if (!METRIC_NAME.test(name)) throw new Error(`${where}: bad metric name "${name}"`);
      let f = families.get(name);
      if (f && finished.has(name)) throw new Error(`${where}: ${name} declared again after its samples`);
      if (!f) {
        if (current) finished.add(current.name);
        f = { name, type: 'untyped', samples: [] };
        families.set(name, f);
        current = f;
      }
      if (kind === 'TYPE') {
        if (!TYPES.has(rest as MetricType)) throw new Error(`${where}: unknown type "${rest}"`);
        if (f.samples.length) throw new Error(`${where}: TYPE of ${name} after its samples`);
        f.type = rest as MetricType;
      } else {
        if (f.help !== undefined) throw new Error(`${where}: second HELP for ${name}`);
        f.help = rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      }
      return;
    }
    const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
    if (!nameMatch) throw new Error(`${where}: not a sample: ${line}`);
    const name = nameMatch[0];
    let i = name.length;
    let labels: Record<string, string> = {};
    if (line[i] === '{') {
      const parsed = parseLabels(line, i + 1, where);
      labels = parsed.labels;
      i = parsed.end;
    }
    if (line[i] !== ' ') throw new Error(`${where}: expected a space before the value: ${line}`);
    const parts = line.slice(i + 1).split(' ');
    if (parts.length < 1 || parts.length > 2 || parts[0] === '') throw new Error(`${where}: expected "value [timestamp]": ${line}`);
    const value = parseValue(parts[0], where);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new Error(`${where}: bad timestamp "${parts[1]}"`);
    const family = familyOf(name, families);
    if (!family) throw new Error(`${where}: sample ${name} has no TYPE/HELP declared before it`);
    if (family !== current) throw new Error(`${where}: sample ${name} is not next to the rest of ${family.name}`);
    if (family.type === 'counter' && (value < 0 || Number.isNaN(value))) throw new Error(`${where}: counter ${name} is ${value}`);
    if (family.type === 'histogram' && name.endsWith('_bucket') && labels.le === undefined) throw new Error(`${where}: bucket without "le"`);
    const key = seriesKey(name, labels);
    if (seen.has(key)) throw new Error(`${where}: series ${key} twice`);
    seen.add(key);
    const sample = { name, labels, value };
    family.samples.push(sample);
    samples.push(sample);
  });

  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);

  const matches = (s: Sample, name: string, labels: Record<string, string>) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v);
  return {
    families,
    samples,
    sum: (name, labels = {}) => samples.filter((s) => matches(s, name, labels)).reduce((a, s) => a + s.value, 0),
    get: (name, labels = {}) => samples.find((s) => s.name === name && seriesKey(name, s.labels) === seriesKey(name, labels))?.value,
  };
}

/** Buckets cumulative and ending at +Inf, which equals _count, for every label set. */
function checkHistogram(f: Family): void {
  const groups = new Map<string, { buckets: [number, number][]; count?: number; sum?: number }>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const key = seriesKey('', rest);
    const g = groups.get(key) ?? groups.set(key, { buckets: [] }).get(key)!;
    if (s.name === `${f.name}_bucket`) g.buckets.push([parseValue(le, f.name), s.value]);
    else if (s.name === `${f.name}_count`) g.count = s.value;
    else if (s.name === `${f.name}_sum`) g.sum = s.value;
    else throw new Error(`histogram ${f.name} has a sample ${s.name}`);
  }
  for (const [key, g] of groups) {
    if (g.count === undefined || g.sum === undefined) throw new Error(`histogram ${f.name}${key} lacks _count or _sum`);
    const last = g.buckets[g.buckets.length - 1];
    if (!last || last[0] !== Infinity) throw new Error(`histogram ${f.name}${key} has no +Inf bucket last`);
    if (last[1] !== g.count) throw new Error(`histogram ${f.name}${key}: +Inf bucket ${last[1]} != count ${g.count}`);
    for (let i = 1; i < g.buckets.length; i++) {
      if (g.buckets[i][0] <= g.buckets[i - 1][0] || g.buckets[i][1] < g.buckets[i - 1][1]) throw new Error(`histogram ${f.name}${key}: buckets not cumulative`);
    }
  }
}
