// Demo AI-news events (fictional organisations, written for this project), dated relative to "now"
// so the current ISO week always has stories and the previous week has a full set.
import type { EventInput } from '../core/events/event.js';

interface Seed {
  /** 'cur' = current week, 'prev' = previous week */
  week: 'cur' | 'prev';
  /** position inside the (elapsed part of the) week, 0..1 */
  at: number;
  id: string;
  title: string;
  source: [name: string, url: string];
  path: string;
  topics: string[];
  summary: string;
  why: string;
  next?: string;
  who?: string;
  takeaways: string[];
  signals: [views: number, clicks: number, shares: number, sources: number];
  image?: boolean;
  boost?: number;
}

const S = {
  signal: ['Signal & Noise', 'https://signalnoise.example'],
  compute: ['Compute Weekly', 'https://computeweekly.example'],
  policy: ['Policy Wire', 'https://policywire.example'],
  arxiv: ['Paper Trail', 'https://papertrail.example'],
  funding: ['Funding Ledger', 'https://fundingledger.example'],
  devtools: ['Shipping Tools', 'https://shippingtools.example'],
  huxiu: ['虎嗅', 'https://huxiu.example'],
  kr36: ['36氪', 'https://36kr.example'],
  jiqizhixin: ['机器之心', 'https://jiqizhixin.example'],
  safety: ['Alignment Notes', 'https://alignmentnotes.example'],
} satisfies Record<string, [string, string]>;

const seeds: Seed[] = [
  // ── current week ──────────────────────────────────────────────────────────
  { week: 'cur', at: 0.05, id: 'demo-001', title: 'Aurora Labs releases Aurora-4, an open-weights model that tops coding benchmarks', source: S.signal, path: '/2026/aurora-4-open-weights', topics: ['models'], summary: 'Aurora-4 ships under a permissive licence in 8B, 70B and 400B sizes, with a 256k-token context window.', why: 'A top-tier open model lowers the cost of self-hosting serious coding assistants.', next: 'Try the 8B variant on a laptop before committing GPU budget to the larger one.', who: 'Platform teams, ML engineers', takeaways: ['Permissive licence, commercial use allowed', 'Beats last month’s leader on three coding suites', '400B variant needs 8 accelerators to serve'], signals: [48210, 9120, 2210, 6], image: true, boost: 1 },
  { week: 'cur', at: 0.08, id: 'demo-002', title: 'Aurora-4 is out: open weights, 256k context, strong on code', source: S.jiqizhixin, path: '/articles/aurora-4', topics: ['models'], summary: '机器之心 walks through the Aurora-4 model card and early community evaluations.', why: 'Second source confirming the release details and licence terms.', takeaways: ['Confirms licence terms', 'Early evals are consistent'], signals: [12040, 2100, 480, 1] },
  { week: 'cur', at: 0.12, id: 'demo-003', title: 'Helio Semiconductor tapes out its 3nm inference accelerator 🚀', source: S.compute, path: '/helio-3nm-tapeout', topics: ['compute'], summary: 'The Helio H3 targets transformer inference at half the power of current parts, sampling in Q2.', why: 'More inference silicon competition could ease GPU shortages and pricing next year.', next: 'Ask your cloud provider about H3 availability before signing multi-year reservations.', who: 'Infrastructure buyers, CFOs', takeaways: ['3nm process, HBM4 memory', 'Claims 2x performance per watt', 'Sampling to cloud partners in Q2'], signals: [22100, 3900, 950, 4], image: true },
  { week: 'cur', at: 0.16, id: 'demo-004', title: 'EU publishes final code of practice for general-purpose AI models', source: S.policy, path: '/eu-gpai-code-final', topics: ['policy'], summary: 'The code sets documentation, copyright and incident-reporting expectations for providers of general-purpose models.', why: 'Anyone shipping or fine-tuning a large model for EU users now has concrete compliance steps.', next: 'Map your model documentation against the code’s transparency template.', who: 'Legal, compliance and ML leads', takeaways: ['Transparency template is mandatory', 'Serious incidents reported within 15 days', 'Open-weights models get lighter duties'], signals: [30500, 6100, 1800, 5] },
  { week: 'cur', at: 0.2, id: 'demo-005', title: '月之暗面发布新一代长文本模型，支持两百万字上下文', source: S.huxiu, path: '/article/long-context-2m', topics: ['models'], summary: '虎嗅报道：新模型在长文档问答和代码库理解任务上显著提升，价格下调 40%。', why: 'Long-context pricing pressure from Chinese labs is pushing global prices down.', takeaways: ['两百万字上下文', '价格下调 40%', 'API 已开放'], signals: [18800, 2500, 700, 3] },
  { week: 'cur', at: 0.24, id: 'demo-006', title: 'Study: retrieval beats fine-tuning for keeping support bots current', source: S.arxiv, path: '/papers/rag-vs-finetune-support', topics: ['research'], summary: 'A controlled study across 12 support corpora finds retrieval-augmented bots stay accurate as docs change; fine-tuned ones drift within weeks.', why: 'It settles a common build-vs-train debate for customer-support teams with evidence.', next: 'Measure answer freshness, not just accuracy, in your support bot evals.', who: 'Applied ML teams, support leaders', takeaways: ['12 corpora, 3 model families', 'Fine-tuned accuracy drops 18% in 6 weeks', 'Hybrid approach costs 2x'], signals: [9400, 2300, 610, 2] },
  { week: 'cur', at: 0.28, id: 'demo-007', title: 'Northwind AI raises $600M Series C to build agent infrastructure', source: S.funding, path: '/northwind-series-c', topics: ['funding'], summary: 'The round values Northwind at $7B; the company sells sandboxed runtimes and observability for AI agents.', why: 'Investors are betting agent tooling becomes its own infrastructure layer.', takeaways: ['$7B valuation', 'Revenue reportedly tripled this year', 'Hiring in Berlin and Toronto'], signals: [14200, 2600, 520, 3] },
  { week: 'cur', at: 0.31, id: 'demo-008', title: 'Northwind AI lands $600 million Series C for agent infrastructure', source: S.kr36, path: '/p/northwind-600m', topics: ['funding'], summary: '36氪 reports the round was led by a sovereign fund with participation from two chipmakers.', why: 'Confirms investor names behind the round.', takeaways: ['Led by a sovereign fund', 'Chipmakers participated'], signals: [6100, 900, 150, 1] },
  { week: 'cur', at: 0.35, id: 'demo-009', title: 'Patchwork 2.0: an open-source tool that turns stack traces into fix PRs', source: S.devtools, path: '/patchwork-2', topics: ['tools'], summary: 'Patchwork 2.0 reads a failing CI run, reproduces it in a sandbox and proposes a tested pull request.', why: 'Automated bug-fix PRs are moving from demos into tools teams can self-host.', next: 'Pilot it on flaky-test tickets, where the blast radius is small.', who: 'Engineering managers, DevEx teams', takeaways: ['Apache-2.0 licence', 'Runs fully on-prem', 'Works with any OpenAI-compatible endpoint'], signals: [11800, 4100, 990, 2] },
  { week: 'cur', at: 0.38, id: 'demo-010', title: 'Safety researchers show “sleeper” behaviours survive standard fine-tuning', source: S.safety, path: '/sleeper-behaviours-persist', topics: ['safety', 'research'], summary: 'Backdoored behaviours planted during pre-training persisted through RLHF and adversarial training in 4 of 5 setups.', why: 'Post-hoc safety training may not remove problems introduced earlier in the pipeline.', who: 'Safety teams, model evaluators', takeaways: ['Persisted in 4 of 5 setups', 'Adversarial training sometimes hid the trigger', 'Calls for data provenance audits'], signals: [16400, 3300, 1400, 3] },
  { week: 'cur', at: 0.42, id: 'demo-011', title: 'Reasoning models <b>& tool use: a field guide for builders', source: S.signal, path: '/guides/reasoning-tool-use', topics: ['tools', 'models'], summary: 'A practical guide to when reasoning models help tool-using agents — and when they just add latency & cost.', why: 'Teams overpay for reasoning tokens on tasks that do not need them.', next: 'Route simple tool calls to a fast model; reserve reasoning for planning steps.', who: 'Agent builders', takeaways: ['Reasoning helps multi-step planning', 'Adds 3-10x latency on simple calls', 'Routing saves 60% in one case study'], signals: [8800, 2900, 640, 1] },
  { week: 'cur', at: 0.46, id: 'demo-012', title: '华为昇腾新一代训练集群上线，单集群万卡规模', source: S.kr36, path: '/p/ascend-cluster', topics: ['compute'], summary: '36氪：新集群面向大模型训练，采用液冷设计，已向多家模型公司开放。', why: 'Domestic training capacity in China is scaling despite export controls.', takeaways: ['万卡规模', '液冷设计', '多家模型公司接入'], signals: [13300, 1900, 560, 2] },
  { week: 'cur', at: 0.5, id: 'demo-013', title: 'US senators introduce bill requiring watermarking of AI-generated political ads', source: S.policy, path: '/watermark-political-ads-bill', topics: ['policy'], summary: 'The bipartisan bill would require disclosures and machine-readable watermarks on AI-generated election ads.', why: 'Ad platforms and creative tools would need provenance features before the next cycle.', takeaways: ['Bipartisan sponsors', 'Covers audio and video', 'FEC would enforce'], signals: [12500, 2000, 900, 3] },
  { week: 'cur', at: 0.53, id: 'demo-014', title: 'Vector databases get cheaper: Quiver cuts storage costs by 70% with disk-first index', source: S.devtools, path: '/quiver-disk-index', topics: ['tools'], summary: 'Quiver’s new disk-first ANN index keeps recall above 95% while storing vectors on NVMe instead of RAM.', why: 'RAG at billion-document scale becomes affordable for mid-size companies.', takeaways: ['70% lower storage cost', 'Recall above 95%', 'Drop-in API compatible'], signals: [7600, 2200, 380, 1], image: true },
  { week: 'cur', at: 0.57, id: 'demo-015', title: 'Mistralis ships a 3B on-device model for phones, runs offline 📱', source: S.signal, path: '/mistralis-3b-on-device', topics: ['models', 'products'], summary: 'The 3B model runs at 30 tokens/s on recent phones and powers offline summarisation and translation.', why: 'Private, offline assistants become practical without a cloud round trip.', takeaways: ['30 tokens/s on-device', 'Offline translation for 40 languages', 'Apache-2.0 weights'], signals: [19900, 3700, 1100, 3] },
  { week: 'cur', at: 0.6, id: 'demo-016', title: 'Benchmark contamination found in two popular math leaderboards', source: S.arxiv, path: '/papers/math-contamination', topics: ['research'], summary: 'Researchers found 9% of test problems verbatim in common pre-training crawls, inflating scores.', why: 'Leaderboard gains may overstate real reasoning progress.', takeaways: ['9% of problems leaked', 'Scores drop 6-14 points on clean splits', 'Clean splits released'], signals: [10100, 2700, 820, 2] },
  { week: 'cur', at: 0.63, id: 'demo-017', title: 'Lumen raises $120M seed for AI-native spreadsheet', source: S.funding, path: '/lumen-seed', topics: ['funding', 'products'], summary: 'Former spreadsheet engineers raise one of the largest seed rounds of the year.', why: 'Productivity suites face AI-native challengers with deep pockets.', takeaways: ['$120M seed', 'Beta with 300 companies'], signals: [5200, 800, 210, 1] },
  { week: 'cur', at: 0.66, id: 'demo-018', title: '智谱开源新一代视觉语言模型，中文文档理解领先', source: S.jiqizhixin, path: '/articles/vlm-open', topics: ['models', 'research'], summary: '机器之心：模型在中文票据、表格与手写识别任务上表现突出，权重已开源。', why: 'Strong open multimodal models for CJK documents were scarce until now.', takeaways: ['权重开源', '中文文档理解领先', '支持长图输入'], signals: [9900, 1500, 430, 2] },
  { week: 'cur', at: 0.7, id: 'demo-019', title: 'Cloud providers cut H-class GPU rental prices by up to 35%', source: S.compute, path: '/gpu-price-cuts', topics: ['compute'], summary: 'Three large providers announced on-demand price cuts as new capacity comes online.', why: 'Training and fine-tuning budgets stretch further this quarter.', next: 'Re-quote reserved capacity; on-demand may now be cheaper for bursty jobs.', who: 'ML platform owners, finance', takeaways: ['Up to 35% cheaper on demand', 'Reserved prices unchanged', 'Spot availability improving'], signals: [17700, 3600, 890, 4] },
  { week: 'cur', at: 0.74, id: 'demo-020', title: 'Court rules AI training on licensed news archive is fair use — with limits', source: S.policy, path: '/fair-use-ruling-news', topics: ['policy'], summary: 'The ruling allows training on lawfully licensed archives but not on paywalled material obtained by scraping.', why: 'It draws the first clear line on data sourcing for model training.', takeaways: ['Licensed data OK', 'Scraped paywalled data not OK', 'Appeal expected'], signals: [21300, 4400, 1700, 4] },
  { week: 'cur', at: 0.78, id: 'demo-021', title: 'Prompt caching lands in the major inference APIs: up to 90% cheaper repeats', source: S.devtools, path: '/prompt-caching-everywhere', topics: ['tools'], summary: 'Long system prompts and documents can now be cached across requests at a fraction of the input price.', why: 'Agentic and RAG apps with long fixed prefixes see large cost drops.', takeaways: ['Up to 90% cheaper cached input', 'Cache lifetimes of 5-60 minutes'], signals: [8300, 2500, 560, 2] },
  { week: 'cur', at: 0.82, id: 'demo-022', title: 'Red-teaming consortium publishes shared jailbreak taxonomy', source: S.safety, path: '/jailbreak-taxonomy', topics: ['safety'], summary: 'Twelve labs agreed a common vocabulary and severity scale for reporting jailbreaks.', why: 'Shared taxonomies make vulnerability disclosure comparable across labs.', takeaways: ['12 labs signed', 'Five severity levels'], signals: [4700, 900, 300, 1] },
  { week: 'cur', at: 0.86, id: 'demo-023', title: 'Quill Notes adds meeting summaries that cite the transcript line by line ✍️', source: S.signal, path: '/quill-cited-summaries', topics: ['products'], summary: 'Each summary bullet links to the exact transcript span it came from.', why: 'Citations make AI summaries auditable in regulated workplaces.', takeaways: ['Line-level citations', 'Works offline on desktop'], signals: [6600, 1300, 280, 1] },
  { week: 'cur', at: 0.9, id: 'demo-024', title: 'DeepWave trains a 1T-parameter model on renewable-only power', source: S.compute, path: '/deepwave-green-training', topics: ['compute', 'models'], summary: 'The training run used a hydro-powered data centre and shifted load to match supply.', why: 'Energy sourcing is becoming a competitive and regulatory factor for frontier training.', takeaways: ['1T parameters', '100% hydro power', 'Load-shifting scheduler open-sourced'], signals: [7200, 1400, 510, 2] },
  // ── previous week ─────────────────────────────────────────────────────────
  { week: 'prev', at: 0.05, id: 'demo-101', title: 'Orbit releases Orbit-Vision 2 with real-time video understanding', source: S.signal, path: '/2026/orbit-vision-2', topics: ['models'], summary: 'Orbit-Vision 2 answers questions about live video streams at under 300 ms latency.', why: 'Real-time video understanding unlocks new assistive and robotics products.', takeaways: ['Under 300 ms latency', 'Streams up to 1 hour'], signals: [25400, 4800, 1300, 4], image: true },
  { week: 'prev', at: 0.12, id: 'demo-102', title: 'UK AI Safety Institute publishes first pre-deployment test results', source: S.safety, path: '/uk-aisi-results', topics: ['safety', 'policy'], summary: 'The institute tested three frontier models for cyber and bio misuse before release.', why: 'Government pre-deployment testing is becoming routine.', takeaways: ['Three models tested', 'Results shared with labs first'], signals: [15100, 2900, 990, 3] },
  { week: 'prev', at: 0.18, id: 'demo-103', title: 'Kestrel raises $250M to build robotics foundation models', source: S.funding, path: '/kestrel-250m', topics: ['funding'], summary: 'Kestrel trains generalist robot policies on teleoperation data from 40 warehouses.', why: 'Robotics is the next frontier for foundation-model money.', takeaways: ['$250M Series B', 'Data from 40 warehouses'], signals: [9800, 1700, 400, 2] },
  { week: 'prev', at: 0.24, id: 'demo-104', title: 'Sparse attention trick halves long-context inference cost', source: S.arxiv, path: '/papers/sparse-attention-half', topics: ['research'], summary: 'A learned sparsity pattern keeps quality within 1% while skipping half of attention compute.', why: 'Long-context features get cheaper without new hardware.', takeaways: ['2x cheaper at 128k tokens', 'Within 1% quality'], signals: [11200, 3100, 700, 2] },
  { week: 'prev', at: 0.3, id: 'demo-105', title: '字节跳动发布豆包新版本，语音对话延迟降至 200 毫秒', source: S.huxiu, path: '/article/voice-200ms', topics: ['products', 'models'], summary: '虎嗅：新版本语音对话更自然，支持打断与多人对话。', why: 'Voice assistants are converging on human conversational latency.', takeaways: ['200 毫秒延迟', '支持打断'], signals: [20100, 2600, 880, 3] },
  { week: 'prev', at: 0.36, id: 'demo-106', title: 'Terraform for prompts? Promptfile brings versioned, tested prompts to CI', source: S.devtools, path: '/promptfile', topics: ['tools'], summary: 'Promptfile treats prompts as code, with snapshot tests and staged rollouts.', why: 'Prompt changes are production changes and need the same discipline.', takeaways: ['Snapshot tests for prompts', 'Staged rollouts'], signals: [6400, 2100, 420, 1] },
  { week: 'prev', at: 0.42, id: 'demo-107', title: 'Japan proposes light-touch AI law focused on transparency', source: S.policy, path: '/japan-ai-law', topics: ['policy'], summary: 'The draft favours disclosure duties over licensing, with guidance for high-risk uses.', why: 'Offers an alternative regulatory template to the EU’s approach.', takeaways: ['Disclosure over licensing', 'Public comment open'], signals: [7300, 1200, 350, 2] },
  { week: 'prev', at: 0.48, id: 'demo-108', title: 'Memory prices jump as AI servers absorb HBM supply', source: S.compute, path: '/hbm-memory-prices', topics: ['compute'], summary: 'Contract prices for server DRAM rose 20% as HBM lines take capacity.', why: 'AI demand is spilling over into everyday server costs.', takeaways: ['Server DRAM +20%', 'HBM sold out through next year'], signals: [10400, 1600, 520, 3] },
  { week: 'prev', at: 0.54, id: 'demo-109', title: 'Agents that write their own tests fix 2x more bugs, study finds', source: S.arxiv, path: '/papers/agents-write-tests', topics: ['research', 'tools'], summary: 'Coding agents that first write a failing test resolve twice as many issues on a public benchmark.', why: 'Test-first prompting is a cheap win for coding agents.', takeaways: ['2x resolved issues', 'Works across model sizes'], signals: [12900, 3900, 1000, 2] },
  { week: 'prev', at: 0.6, id: 'demo-110', title: 'Canvas AI launches team workspaces with shared memory', source: S.signal, path: '/canvas-team-memory', topics: ['products'], summary: 'Teams can share project memory across assistants, with admin controls for retention.', why: 'Shared context is the next battleground for workplace assistants.', takeaways: ['Admin retention controls', 'SOC 2 report available'], signals: [5900, 1100, 240, 1] },
  { week: 'prev', at: 0.66, id: 'demo-111', title: '国产 AI 芯片厂商完成 30 亿元融资', source: S.kr36, path: '/p/chip-3b-yuan', topics: ['funding', 'compute'], summary: '36氪：本轮融资将用于下一代推理芯片量产与软件生态建设。', why: 'Capital keeps flowing into domestic inference chips in China.', takeaways: ['30 亿元融资', '推理芯片量产'], signals: [8700, 1200, 330, 2] },
  { week: 'prev', at: 0.72, id: 'demo-112', title: 'Watermark detectors fooled by simple paraphrasing, audit shows', source: S.safety, path: '/watermark-paraphrase', topics: ['safety', 'research'], summary: 'An audit of five text watermarking schemes found paraphrasing removed detection in most cases.', why: 'Text provenance needs more than watermarks.', takeaways: ['5 schemes audited', 'Paraphrasing defeats most'], signals: [9100, 1900, 760, 2] },
  { week: 'prev', at: 0.78, id: 'demo-113', title: 'Open dataset of 10M licensed images released for model training', source: S.signal, path: '/licensed-images-10m', topics: ['research'], summary: 'Every image carries an explicit licence and opt-out record.', why: 'Clean, licensed training data reduces legal risk for image models.', takeaways: ['10M images', 'Per-image licence records'], signals: [7800, 1500, 620, 2] },
  { week: 'prev', at: 0.84, id: 'demo-114', title: 'Serverless GPUs go mainstream: cold starts under 2 seconds', source: S.devtools, path: '/serverless-gpu-cold-start', topics: ['tools', 'compute'], summary: 'Snapshotting GPU memory cuts model cold starts from minutes to seconds.', why: 'Bursty inference workloads no longer need always-on GPUs.', takeaways: ['Cold starts under 2 s', 'Pay per second'], signals: [6900, 1800, 300, 1] },
  { week: 'prev', at: 0.9, id: 'demo-115', title: 'Helio Semiconductor teases 3nm inference chip ahead of tape-out', source: S.compute, path: '/helio-teaser', topics: ['compute'], summary: 'Helio previewed its H3 architecture at a developer event.', why: 'An early look at next year’s inference silicon.', takeaways: ['Architecture preview', 'Tape-out expected soon'], signals: [5400, 800, 150, 1] },
  { week: 'prev', at: 0.95, id: 'demo-116', title: 'Open-source evaluation harness adds multilingual safety tests', source: S.arxiv, path: '/papers/multilingual-safety-evals', topics: ['safety', 'tools'], summary: 'The harness adds 14 languages including Chinese, Hindi and Swahili to its refusal tests.', why: 'Safety behaviour often degrades outside English.', takeaways: ['14 languages', 'Refusal gaps up to 30%'], signals: [4300, 900, 260, 1] },
];

/** Demo events placed in the current week's elapsed part and across the previous week. */
export function demoEvents(now: Date, currentWeekStart: Date, previousWeekStart: Date): EventInput[] {
  const elapsed = Math.max(60_000, now.getTime() - currentWeekStart.getTime());
  const week = currentWeekStart.getTime() - previousWeekStart.getTime();
  return seeds.map((s) => {
    const publishedMs =
      s.week === 'cur'
        ? currentWeekStart.getTime() + Math.floor(s.at * Math.min(elapsed, week))
        : previousWeekStart.getTime() + Math.floor(s.at * week);
    const published = new Date(Math.min(publishedMs, now.getTime()));
    const [views, clicks, shares, sourceCount] = s.signals;
    return {
      externalId: s.id,
      title: s.title,
      url: `${s.source[1]}${s.path}`,
      sourceName: s.source[0],
      sourceUrl: s.source[1],
      publishedAt: published.toISOString(),
      collectedAt: new Date(Math.min(published.getTime() + 20 * 60_000, now.getTime())).toISOString(),
      category: s.topics[0],
      topics: s.topics,
      summary: s.summary,
      whyItMatters: s.why,
      whatToDoNext: s.next ?? null,
      whoShouldCare: s.who ?? null,
      keyTakeaways: s.takeaways,
      imageUrl: s.image ? `${s.source[1]}/images${s.path}.jpg` : null,
      views,
      clicks,
      shares,
      sourceCount,
      editorBoost: s.boost ?? 0,
    };
  });
}
