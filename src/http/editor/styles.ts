// The workspace's stylesheet, inlined into each page (no public asset route, one request per page).
export const editorCss = `
:root{--bg:#f5f6f8;--panel:#fff;--ink:#111827;--ink-2:#374151;--muted:#57606e;--line:#e3e6eb;--line-2:#eef0f3;
--accent:#4338ca;--accent-ink:#fff;--accent-soft:#eef0ff;--ok:#116a3b;--ok-soft:#e5f6ec;--warn:#8a4b00;--warn-soft:#fff3dd;
--bad:#b42318;--bad-soft:#fdecea;--info:#1d4ed8;--info-soft:#e8efff;--radius:10px;--shadow:0 1px 2px rgba(16,24,40,.06),0 1px 3px rgba(16,24,40,.08);
--font:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 var(--font);-webkit-font-smoothing:antialiased}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
p a,li.small a,.note a,.help a,.flash a,.sub a,dd a,.intro-preview a{text-decoration:underline;text-underline-offset:2px}
h1,h2,h3{line-height:1.25;margin:0;font-weight:650;letter-spacing:-.01em}h1{font-size:22px}h2{font-size:16px}h3{font-size:14px}
p{margin:0 0 .75em}code,pre,.mono{font-family:var(--mono);font-size:12.5px}
.skip{position:absolute;left:-999px;top:8px;background:var(--ink);color:#fff;padding:8px 12px;border-radius:6px;z-index:10}.skip:focus{left:8px}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.app{display:grid;grid-template-columns:232px minmax(0,1fr);min-height:100vh;background:linear-gradient(90deg,#0f1222 232px,transparent 232px)}
.sidebar{background:#0f1222;color:#cfd3e6;padding:20px 14px;display:flex;flex-direction:column;gap:18px;position:sticky;top:0;height:100vh}
.brand{display:flex;align-items:center;gap:10px;color:#fff;font-weight:700;font-size:15px;padding:0 8px}
.brand-mark{width:28px;height:28px;border-radius:8px;background:linear-gradient(135deg,#6d5efc,#22b8cf);display:grid;place-items:center;font-size:14px;color:#fff}
.brand small{display:block;font-weight:500;color:#a5abc6;font-size:11.5px;letter-spacing:.02em}
.nav{display:flex;flex-direction:column;gap:2px;list-style:none;margin:0;padding:0}
.nav a{display:flex;align-items:center;gap:10px;color:#cfd3e6;padding:8px 10px;border-radius:8px;font-weight:500}
.nav a:hover{background:#1b2036;text-decoration:none;color:#fff}.nav a[aria-current=page]{background:#262c4a;color:#fff}
.nav svg{width:16px;height:16px;flex:none;opacity:.85}
.nav-sep{margin:10px 10px 4px;font-size:11px;text-transform:uppercase;letter-spacing:.08em;color:#9aa1bd}
.sidebar-foot{margin-top:auto;border-top:1px solid #262c4a;padding:14px 8px 0;font-size:12.5px;color:#a5abc6;word-break:break-all}
.sidebar-foot strong{color:#fff;font-weight:600;display:block}
.sidebar-foot form{margin-top:8px}.sidebar-foot button{background:none;border:1px solid #3a4166;color:#e4e7f5;border-radius:6px;padding:5px 10px;cursor:pointer;font:inherit}
.sidebar-foot button:hover{background:#1b2036}
.main{padding:28px 36px 60px;max-width:1320px;width:100%}
.page-head{display:flex;align-items:flex-end;justify-content:space-between;gap:16px;margin-bottom:20px;flex-wrap:wrap}
.crumbs{font-size:12.5px;color:var(--muted);margin-bottom:4px}.crumbs a{color:var(--muted)}
.sub{color:var(--muted);margin-top:4px}
.actions{display:flex;gap:8px;flex-wrap:wrap;align-items:center}
.grid{display:grid;gap:16px}.g2{grid-template-columns:repeat(2,minmax(0,1fr))}.g3{grid-template-columns:repeat(3,minmax(0,1fr))}.g4{grid-template-columns:repeat(4,minmax(0,1fr))}
.split{display:grid;grid-template-columns:minmax(0,1fr) 340px;gap:20px;align-items:start}
.card{background:var(--panel);border:1px solid var(--line);border-radius:var(--radius);box-shadow:var(--shadow);padding:18px 20px}
.card>h2{margin-bottom:12px;display:flex;justify-content:space-between;align-items:center;gap:8px}
.card+.card{margin-top:16px}.grid>.card+.card{margin-top:0}
.card-flush{padding:0;overflow:hidden}.card-flush>h2{padding:16px 20px 0}
.stat{display:flex;flex-direction:column;gap:4px}.stat .label{color:var(--muted);font-size:12.5px;font-weight:500}
.stat .value{font-size:26px;font-weight:700;letter-spacing:-.02em;font-variant-numeric:tabular-nums}.stat .hint{font-size:12px;color:var(--muted)}
.muted{color:var(--muted)}.small{font-size:12.5px}.nowrap{white-space:nowrap}.num{font-variant-numeric:tabular-nums;text-align:right}
.badge{display:inline-flex;align-items:center;gap:5px;padding:2px 9px;border-radius:999px;font-size:12px;font-weight:600;line-height:18px;white-space:nowrap;background:var(--line-2);color:var(--ink-2)}
.badge::before{content:"";width:6px;height:6px;border-radius:50%;background:currentColor;opacity:.8}
.badge.draft{background:#eef0f3;color:#3b4350}.badge.scheduled{background:var(--info-soft);color:var(--info)}
.badge.sending{background:var(--warn-soft);color:var(--warn)}.badge.sent,.badge.active,.badge.delivered{background:var(--ok-soft);color:var(--ok)}
.badge.canceled,.badge.unsubscribed,.badge.erased,.badge.suppressed{background:#eef0f3;color:#4b5361}
.badge.failed,.badge.bounced,.badge.complained{background:var(--bad-soft);color:var(--bad)}
.badge.pending,.badge.queued,.badge.claimed,.badge.delayed{background:var(--warn-soft);color:var(--warn)}
.badge.plain::before{display:none}.badge.pin{background:var(--accent-soft);color:var(--accent)}
.btn{display:inline-flex;align-items:center;justify-content:center;gap:6px;border:1px solid var(--line);background:#fff;color:var(--ink);border-radius:8px;padding:7px 13px;font:500 13.5px/1.2 var(--font);cursor:pointer;text-decoration:none;white-space:nowrap}
.btn:hover{background:#f3f4f7;text-decoration:none}.btn:focus-visible,a:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid #a5b4fc;outline-offset:1px}
.btn.primary{background:var(--accent);border-color:var(--accent);color:var(--accent-ink)}.btn.primary:hover{background:#3730a3}
.btn.danger{color:var(--bad);border-color:#f2c5c0}.btn.danger:hover{background:var(--bad-soft)}
.btn.danger-solid{background:var(--bad);border-color:var(--bad);color:#fff}.btn.danger-solid:hover{background:#912018}
.btn.sm{padding:4px 9px;font-size:12.5px;border-radius:7px}.btn.icon{padding:4px 7px;min-width:30px}
.btn[disabled]{opacity:.5;cursor:not-allowed}
form.inline{display:inline}
label{font-weight:600;font-size:13px;display:block;margin-bottom:5px;color:var(--ink-2)}
.field{margin-bottom:14px}.field .help{font-size:12px;color:var(--muted);margin-top:4px}
input[type=text],input[type=email],input[type=search],input[type=date],input[type=time],input[type=number],select,textarea{width:100%;border:1px solid #cfd4dc;border-radius:8px;padding:8px 10px;font:inherit;background:#fff;color:var(--ink)}
textarea{min-height:110px;resize:vertical;line-height:1.45}
input[type=text],input[type=email],input[type=search],input[type=date],input[type=time],input[type=number],select{height:38px}
input[type=file]{font:inherit;font-size:13px}
.row{display:flex;gap:10px;align-items:flex-end;flex-wrap:wrap}.row>.field{flex:1;min-width:140px}
.radio-row{display:flex;gap:16px;flex-wrap:wrap}.radio-row label{font-weight:500;display:flex;gap:6px;align-items:center;margin:0}
.flash{border-radius:8px;padding:10px 14px;margin-bottom:16px;border:1px solid;font-weight:500}
.flash.ok{background:var(--ok-soft);border-color:#b7e2c7;color:var(--ok)}.flash.error{background:var(--bad-soft);border-color:#f2c5c0;color:var(--bad)}
.flash.info{background:var(--info-soft);border-color:#c7d6fb;color:var(--info)}
table{width:100%;border-collapse:collapse}td{font-size:13.5px}th,td{padding:10px 12px;text-align:left;border-bottom:1px solid var(--line-2);vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600;background:#fafbfc}
tr:last-child td{border-bottom:0}tbody tr:hover{background:#fafbff}
.table-wrap{overflow-x:auto}
.tabs{display:flex;gap:4px;border-bottom:1px solid var(--line);margin-bottom:20px}
.tabs a{padding:9px 14px;color:var(--muted);font-weight:600;border-bottom:2px solid transparent;margin-bottom:-1px}
.tabs a[aria-current=page]{color:var(--accent);border-color:var(--accent)}.tabs a:hover{text-decoration:none;color:var(--ink)}
.seg{display:inline-flex;border:1px solid var(--line);border-radius:8px;overflow:hidden;background:#fff}
.seg a{padding:6px 12px;color:var(--ink-2);font-weight:500;font-size:13px;border-right:1px solid var(--line)}.seg a:last-child{border-right:0}
.seg a[aria-current=true]{background:var(--accent);color:#fff}.seg a:hover{text-decoration:none}
.items{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:10px}
.item{background:#fff;border:1px solid var(--line);border-radius:var(--radius);padding:14px 16px;display:grid;grid-template-columns:34px minmax(0,1fr);gap:12px;box-shadow:var(--shadow)}
.item-foot{display:flex;gap:6px;align-items:center;flex-wrap:wrap;margin-top:10px}.item-foot .sep{width:1px;height:20px;background:var(--line);margin:0 4px}
.item.dragging{opacity:.5}.item.drop-target{outline:2px dashed var(--accent);outline-offset:2px}
.item.excluded{background:#fafafb;box-shadow:none}.item.excluded .item-title{color:var(--muted);text-decoration:line-through}
.pos{width:30px;height:30px;border-radius:8px;background:var(--accent-soft);color:var(--accent);font-weight:700;display:grid;place-items:center;font-variant-numeric:tabular-nums}
.item.excluded .pos{background:#eef0f3;color:var(--muted)}
.handle{cursor:grab;color:#8b93a3;font-size:16px;text-align:center;margin-top:6px;user-select:none;display:none}.js .handle{display:block}
.item-title{font-weight:650;font-size:15px;color:var(--ink);display:block;margin-bottom:2px}
.item-meta{font-size:12.5px;color:var(--muted);display:flex;gap:8px;flex-wrap:wrap;align-items:center;margin-bottom:6px}
.item-blurb{color:var(--ink-2);font-size:13.5px;margin:0 0 8px}
.score{display:flex;gap:10px;align-items:center;flex-wrap:wrap;font-size:12px;color:var(--muted)}
.score-total{font-weight:700;color:var(--ink);font-size:13px;font-variant-numeric:tabular-nums}
.sbar{display:flex;height:8px;width:200px;border-radius:99px;overflow:hidden;background:var(--line-2)}
.sbar span{display:block;height:100%}
.legend{display:flex;gap:10px;flex-wrap:wrap}.legend i{display:inline-block;width:8px;height:8px;border-radius:2px;margin-right:4px;vertical-align:0}
details.edit{margin-top:6px}details.edit summary{cursor:pointer;color:var(--accent);font-weight:500;font-size:13px}
details.edit[open]{background:#fafbfc;border:1px solid var(--line-2);border-radius:8px;padding:10px 12px}
.inbox-line{display:flex;gap:10px;align-items:baseline;padding:12px 14px;border:1px solid var(--line);border-radius:8px;background:#fff;margin-bottom:14px;overflow:hidden}
.inbox-line .from{font-weight:700;white-space:nowrap;flex:none}.inbox-line .subject{font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;flex:0 1 auto;max-width:65%}
.inbox-line .pre{color:var(--muted);white-space:nowrap;overflow:hidden;text-overflow:ellipsis;flex:1 1 0;min-width:60px}
.frame-wrap{background:#e9ebf0;border-radius:var(--radius);padding:14px;display:flex;justify-content:center;border:1px solid var(--line)}
.frame-wrap.dark{background:#1d2027}
.frame-wrap iframe{border:0;background:#fff;border-radius:6px;box-shadow:0 8px 30px rgba(0,0,0,.12);height:1100px;width:100%;max-width:720px}
.frame-wrap.mobile iframe{max-width:375px;height:780px;border-radius:22px;border:10px solid #111}
.frame-wrap.dark iframe{background:#111;color-scheme:dark}
pre.text-part{background:#fff;border:1px solid var(--line);border-radius:8px;padding:18px;white-space:pre-wrap;word-break:break-word;max-height:1100px;overflow:auto;line-height:1.55;font-size:13px}
.checks{list-style:none;padding:0;margin:0;display:flex;flex-direction:column;gap:8px}
.check{display:grid;grid-template-columns:22px 1fr;gap:8px;padding:9px 10px;border-radius:8px;border:1px solid var(--line-2)}
.check .ico{width:20px;height:20px;border-radius:50%;display:grid;place-items:center;font-size:12px;font-weight:800;color:#fff}
.check.pass .ico{background:#1a8a4d}.check.fail{background:#fff8f7;border-color:#f6d4cf}.check.fail .ico{background:var(--bad)}
.check strong{font-size:13px}.check .msg{font-size:12.5px;color:var(--ink-2)}.check .fix{font-size:12.5px;color:var(--bad);margin-top:2px}
.progress{height:14px;background:var(--line-2);border-radius:99px;overflow:hidden}
.progress>span{display:block;height:100%;background:linear-gradient(90deg,#4338ca,#22b8cf);transition:width .4s ease}
.kv{display:grid;grid-template-columns:140px 1fr;gap:6px 14px;font-size:13.5px}.kv dt{color:var(--muted)}.kv dd{margin:0}
.timeline{list-style:none;padding:0;margin:0;border-left:2px solid var(--line);margin-left:6px}
.timeline li{position:relative;padding:0 0 14px 18px}.timeline li::before{content:"";position:absolute;left:-7px;top:4px;width:12px;height:12px;border-radius:50%;background:#fff;border:2px solid var(--accent)}
.empty{text-align:center;color:var(--muted);padding:28px 12px}
.empty strong{display:block;color:var(--ink);font-size:15px;margin-bottom:4px}
.funnel{display:flex;flex-direction:column;gap:10px}.funnel-row{display:grid;grid-template-columns:100px 1fr 90px;gap:10px;align-items:center;font-size:13px}
.funnel-bar{height:22px;background:var(--line-2);border-radius:6px;overflow:hidden}.funnel-bar span{display:block;height:100%;border-radius:6px}
.chart svg{width:100%;height:auto;display:block}
.pager{display:flex;justify-content:space-between;align-items:center;padding:12px 16px;border-top:1px solid var(--line-2)}
.auth{min-height:100vh;display:grid;place-items:center;padding:24px;background:radial-gradient(1200px 600px at 10% -10%,#e3e4ff 0,transparent 60%),radial-gradient(900px 500px at 110% 110%,#d9f6fb 0,transparent 60%),var(--bg)}
.auth-card{width:100%;max-width:410px;background:#fff;border:1px solid var(--line);border-radius:14px;box-shadow:0 10px 40px rgba(16,24,40,.08);padding:30px 30px 26px}
.auth-card .brand{color:var(--ink);padding:0;margin-bottom:20px}.auth-card .brand small{color:var(--muted)}
.auth-card h1{margin-bottom:6px}.auth-card .btn{width:100%;padding:10px}
.note{font-size:12.5px;background:#f7f8fa;border:1px dashed #cfd4dc;border-radius:8px;padding:9px 11px;color:var(--ink-2);margin-top:14px}
.local-time{font-size:12.5px;color:var(--muted)}
.stack>*+*{margin-top:12px}.stack>form.inline{display:block}
.preview-split{grid-template-columns:minmax(0,1fr) 300px}
.row>.field.btn-cell{flex:0 0 auto;min-width:0}
.chips{display:flex;flex-wrap:wrap;gap:4px}.chip{background:var(--line-2);border-radius:6px;padding:1px 7px;font-size:12px;color:var(--ink-2);overflow-wrap:anywhere;max-width:100%}
.toolbar{display:flex;gap:10px;flex-wrap:wrap;align-items:center;margin-bottom:14px}
.intro-preview{border-left:3px solid var(--accent-soft);padding:4px 12px;color:var(--ink-2);font-size:13.5px}
.intro-preview p:last-child{margin:0}
@media (max-width:1100px){.split{grid-template-columns:1fr}.g4{grid-template-columns:repeat(2,minmax(0,1fr))}}
@media (max-width:820px){.app{grid-template-columns:1fr}.sidebar{position:static;height:auto}.main{padding:20px 16px}.g2,.g3{grid-template-columns:1fr}}
`;
