/** @jsxImportSource hono/jsx */
// SVG charts of the delivery funnel: the last issue's stages as bars and the last issues' trend, each with the same
// numbers as a table for screen readers. No chart library, no JS.
import type { FunnelCounts, IssueFunnel } from '../../core/issues/issue-funnel.js';
import { fmtNum, pct } from './format.js';

const STAGES: [keyof FunnelCounts, string, string][] = [
  ['accepted', 'Accepted', '#4338ca'],
  ['delivered', 'Delivered', '#1a8a4d'],
  ['bounced', 'Bounced', '#b45309'],
  ['complained', 'Complained', '#b42318'],
  ['failed', 'Failed', '#7f1d1d'],
  ['unsubscribed', 'Unsubscribed', '#57606e'],
];

/** One bar per stage, as a share of what the provider accepted. */
export function FunnelChart({ funnel }: { funnel: IssueFunnel }) {
  const W = 640;
  const row = 30;
  const labelW = 110;
  const H = STAGES.length * row + 8;
  const max = Math.max(1, funnel.accepted, funnel.audience ?? 0);
  const summary = `${fmtNum(funnel.accepted)} accepted, ${fmtNum(funnel.delivered)} delivered, ${fmtNum(funnel.bounced)} bounced, ${fmtNum(funnel.complained)} complained, ${fmtNum(funnel.unsubscribed)} unsubscribed.`;
  return (
    <figure class="chart" style="margin:0" data-testid="funnel-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="funnel-title funnel-desc">
        <title id="funnel-title">{`Delivery funnel of ${funnel.week}`}</title>
        <desc id="funnel-desc">{summary}</desc>
        {STAGES.map(([key, label, color], i) => {
          const n = funnel[key];
          const w = Math.max(n ? 2 : 0, (n / max) * (W - labelW - 150));
          return (
            <g>
              <text x={0} y={i * row + 20} font-size="12" fill="#3b4250">
                {label}
              </text>
              <rect x={labelW} y={i * row + 6} width={w.toFixed(1)} height="18" rx="3" fill={color} />
              <text x={labelW + w + 8} y={i * row + 20} font-size="12" fill="#3b4250">
                {`${fmtNum(n)} · ${pct(n, funnel.accepted)}`}
              </text>
            </g>
          );
        })}
      </svg>
      <div class="sr-only">
        <table>
          <caption>{`Delivery funnel of ${funnel.week}, by edition`}</caption>
          <thead>
            <tr>
              <th scope="col">Edition</th>
              {STAGES.map(([, label]) => (
                <th scope="col">{label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[{ ...funnel, topics: ['all editions'] }, ...funnel.editions].map((e) => (
              <tr>
                <td>{e.topics.length ? e.topics.join(', ') : 'default'}</td>
                {STAGES.map(([key]) => (
                  <td>{e[key]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

const PROBLEMS: [keyof FunnelCounts, string, string][] = [
  ['bounced', 'Bounced', '#b45309'],
  ['complained', 'Complained', '#b42318'],
  ['unsubscribed', 'Unsubscribed', '#57606e'],
];

/** Columns: mails accepted per issue; lines: bounces, complaints and unsubscribes per 1,000 accepted. */
export function FunnelTrendChart({ trend }: { trend: IssueFunnel[] }) {
  const W = 640;
  const H = 220;
  const PAD = { l: 44, r: 44, t: 14, b: 28 };
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const step = iw / Math.max(1, trend.length);
  const x = (i: number) => PAD.l + step * (i + 0.5);
  const maxN = Math.max(1, ...trend.map((t) => t.accepted));
  const perMille = (t: IssueFunnel, k: keyof FunnelCounts) => (t.accepted ? (t[k] / t.accepted) * 1000 : 0);
  const maxR = Math.max(1, ...trend.flatMap((t) => PROBLEMS.map(([k]) => perMille(t, k))));
  const yN = (v: number) => PAD.t + ih - (v / maxN) * ih;
  const yR = (v: number) => PAD.t + ih - (v / maxR) * ih;
  const colW = Math.max(4, Math.min(28, step * 0.5));
  const summary = trend.length
    ? `${trend.length} issues from ${trend[0].week} to ${trend[trend.length - 1].week}; the last had ${fmtNum(trend[trend.length - 1].accepted)} accepted.`
    : 'No issue sent yet.';
  return (
    <figure class="chart" style="margin:0" data-testid="funnel-trend">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="trend-title trend-desc">
        <title id="trend-title">Delivery over the last issues</title>
        <desc id="trend-desc">{summary}</desc>
        <line x1={PAD.l} x2={W - PAD.r} y1={yN(0)} y2={yN(0)} stroke="#e8eaef" />
        <text x={PAD.l - 8} y={yN(maxN) + 4} text-anchor="end" font-size="11" fill="#57606e">
          {fmtNum(maxN)}
        </text>
        <text x={W - PAD.r + 8} y={yR(maxR) + 4} font-size="11" fill="#57606e">
          {`${maxR.toFixed(1)}‰`}
        </text>
        {trend.map((t, i) => (
          <rect x={x(i) - colW / 2} y={yN(t.accepted)} width={colW} height={Math.max(0, yN(0) - yN(t.accepted))} rx="2" fill="#c7cbe0">
            <title>{`${t.week}: ${t.accepted} accepted, ${t.delivered} delivered`}</title>
          </rect>
        ))}
        {PROBLEMS.map(([k, , color]) => (
          <path
            d={trend.map((t, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${yR(perMille(t, k)).toFixed(1)}`).join(' ')}
            fill="none"
            stroke={color}
            stroke-width="2"
          />
        ))}
        {trend.map((t, i) => (
          <text x={x(i)} y={H - 8} text-anchor="middle" font-size="11" fill="#57606e">
            {`W${t.week.split('-W')[1]}`}
          </text>
        ))}
      </svg>
      <figcaption class="legend small muted" style="margin-top:6px">
        <span>
          <i style="background:#c7cbe0"></i>Accepted
        </span>
        {PROBLEMS.map(([, label, color]) => (
          <span>
            <i style={`background:${color}`}></i>
            {label} per 1,000
          </span>
        ))}
      </figcaption>
      <div class="sr-only">
        <table>
          <caption>Delivery funnel of the last issues</caption>
          <thead>
            <tr>
              <th scope="col">Issue</th>
              {STAGES.map(([, label]) => (
                <th scope="col">{label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {trend.map((t) => (
              <tr>
                <td>{t.week}</td>
                {STAGES.map(([key]) => (
                  <td>{t[key]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
