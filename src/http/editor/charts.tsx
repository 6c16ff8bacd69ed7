/** @jsxImportSource hono/jsx */
// Server-rendered SVG charts: subscriber growth over recent weeks and an issue's delivery funnel. No chart library, no JS.
import type { GrowthPoint } from '../../db/repos/editor-subscribers.js';
import { fmtNum, pct } from './format.js';

const W = 640;
const H = 220;
const PAD = { l: 44, r: 12, t: 14, b: 28 };

function niceMax(v: number): number {
  if (v <= 5) return 5;
  const p = 10 ** Math.floor(Math.log10(v));
  const m = v / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/** Active readers (area + line) and weekly new confirmations (columns), labelled by week. */
export function GrowthChart({ points, labels }: { points: GrowthPoint[]; labels: string[] }) {
  const max = niceMax(Math.max(1, ...points.map((p) => p.active), ...points.map((p) => p.joined)));
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const step = points.length > 1 ? iw / (points.length - 1) : iw;
  const x = (i: number) => PAD.l + i * step;
  const y = (v: number) => PAD.t + ih - (v / max) * ih;
  const line = points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.active).toFixed(1)}`).join(' ');
  const area = `${line} L${x(points.length - 1).toFixed(1)},${y(0)} L${x(0).toFixed(1)},${y(0)} Z`;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(max * f));
  const colW = Math.max(4, Math.min(18, step * 0.35));
  const last = points[points.length - 1];
  const first = points[0];
  const summary = last ? `Active readers went from ${fmtNum(first.active)} to ${fmtNum(last.active)} over ${points.length} weeks.` : 'No data yet.';
  return (
    <figure class="chart" style="margin:0">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="growth-title growth-desc">
        <title id="growth-title">Subscriber growth</title>
        <desc id="growth-desc">{summary}</desc>
        <defs>
          <linearGradient id="growth-fill" x1="0" x2="0" y1="0" y2="1">
            <stop offset="0" stop-color="#4338ca" stop-opacity="0.28" />
            <stop offset="1" stop-color="#4338ca" stop-opacity="0.02" />
          </linearGradient>
        </defs>
        {ticks.map((t) => (
          <g>
            <line x1={PAD.l} x2={W - PAD.r} y1={y(t)} y2={y(t)} stroke="#e8eaef" stroke-width="1" />
            <text x={PAD.l - 8} y={y(t) + 4} text-anchor="end" font-size="11" fill="#57606e">
              {fmtNum(t)}
            </text>
          </g>
        ))}
        {points.map((p, i) => (
          <rect x={x(i) - colW / 2} y={y(p.joined)} width={colW} height={Math.max(0, y(0) - y(p.joined))} rx="2" fill="#22b8cf" opacity="0.55">
            <title>{`${labels[i]}: ${p.joined} joined, ${p.left} left, ${p.active} active`}</title>
          </rect>
        ))}
        {points.length > 1 ? <path d={area} fill="url(#growth-fill)" /> : null}
        <path d={line} fill="none" stroke="#4338ca" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round" />
        {points.map((p, i) => (
          <circle cx={x(i)} cy={y(p.active)} r={i === points.length - 1 ? 4 : 2.5} fill="#fff" stroke="#4338ca" stroke-width="2" />
        ))}
        {labels.map((l, i) =>
          i % 2 === points.length % 2 || i === points.length - 1 ? (
            <text x={x(i)} y={H - 8} text-anchor="middle" font-size="11" fill="#57606e">
              {l}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption class="legend small muted" style="margin-top:6px">
        <span>
          <i style="background:#4338ca"></i>Active readers
        </span>
        <span>
          <i style="background:#22b8cf"></i>New confirmations per week
        </span>
      </figcaption>
      <div class="sr-only">
        <table>
          <caption>Subscriber growth by week</caption>
          <thead>
            <tr>
              <th scope="col">Week</th>
              <th scope="col">Active</th>
              <th scope="col">Joined</th>
              <th scope="col">Left</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p, i) => (
              <tr>
                <td>{labels[i]}</td>
                <td>{p.active}</td>
                <td>{p.joined}</td>
                <td>{p.left}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

export interface FunnelCounts {
  total: number;
  sent: number;
  delivered: number;
  bounced: number;
  complained: number;
  failed: number;
}

/** Sent → delivered → bounced / complained, each as a share of what was sent. */
export function Funnel({ counts }: { counts: FunnelCounts }) {
  const rows: [string, number, string, string][] = [
    ['Recipients', counts.total, '#c7cbe0', pct(counts.total, counts.total)],
    ['Sent', counts.sent, '#4338ca', pct(counts.sent, counts.total)],
    ['Delivered', counts.delivered, '#1a8a4d', pct(counts.delivered, counts.sent)],
    ['Bounced', counts.bounced, '#d97706', pct(counts.bounced, counts.sent)],
    ['Complained', counts.complained, '#b42318', pct(counts.complained, counts.sent)],
  ];
  if (counts.failed) rows.push(['Failed', counts.failed, '#7f1d1d', pct(counts.failed, counts.total)]);
  return (
    <div class="funnel" role="list" aria-label="Delivery funnel">
      {rows.map(([label, n, color, share]) => (
        <div class="funnel-row" role="listitem">
          <span>{label}</span>
          <span class="funnel-bar" aria-hidden="true">
            <span style={`width:${Math.max(n ? 1.5 : 0, (n / Math.max(counts.total, counts.sent, 1)) * 100).toFixed(1)}%;background:${color}`}></span>
          </span>
          <span class="num">
            <strong>{fmtNum(n)}</strong> <span class="muted small">{share}</span>
          </span>
        </div>
      ))}
    </div>
  );
}
