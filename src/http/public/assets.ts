// The public pages' stylesheet and the signup form's progressive enhancement, served as files so the
// Content-Security-Policy can forbid inline script. The palette follows the mails (emails/components/theme.ts).

export const PUBLIC_CSS = `
:root{--page:#f2efe9;--paper:#fff;--ink:#17181c;--body:#33363d;--muted:#595d66;--rule:#e2ddd2;--accent:#b93c0a;--accent-ink:#fff;
--chip:#fdede3;--chip-ink:#8a2e0e;--error:#b0201a;--error-bg:#fdecea;--ok:#1d6b3a;--ok-bg:#e8f5ec;--focus:#1a56db;
--serif:Georgia,"Times New Roman","Noto Serif CJK SC",serif;
--sans:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,"Noto Sans CJK SC",sans-serif,"Apple Color Emoji","Noto Color Emoji"}
@media (prefers-color-scheme:dark){:root{--page:#0f1114;--paper:#181b21;--ink:#eef0f3;--body:#d5d9e0;--muted:#a8aeb9;--rule:#2b3039;
--accent:#ff9466;--accent-ink:#1b0d05;--chip:#3a2418;--chip-ink:#ffb38c;--error:#ff8a80;--error-bg:#3b1614;--ok:#7fd39b;--ok-bg:#12301d;--focus:#8ab4ff}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--page);color:var(--body);font:16px/1.6 var(--sans)}
a{color:var(--accent);text-underline-offset:2px}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px;border-radius:3px}
.skip{position:absolute;left:-9999px;top:0;background:var(--paper);padding:.5rem 1rem;z-index:10}
.skip:focus{left:1rem;top:1rem}
.site-header,.site-footer,main{max-width:44rem;margin:0 auto;padding:0 1.25rem}
.site-header{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem 1.5rem;padding-top:1.25rem;padding-bottom:1.25rem}
.brand{font:700 1.25rem/1.2 var(--serif);color:var(--ink);text-decoration:none}
.brand span{color:var(--accent)}
.site-header nav ul{display:flex;gap:1.25rem;list-style:none;margin:0;padding:0}
.site-header nav a{color:var(--body);text-decoration:none;font-weight:600}
.site-header nav a:hover,.site-header nav a[aria-current]{color:var(--accent);text-decoration:underline}
main{padding-bottom:3rem}
h1{font:700 clamp(1.75rem,5vw,2.5rem)/1.15 var(--serif);color:var(--ink);margin:1rem 0 1rem;letter-spacing:-.01em}
h2{font:700 1.35rem/1.25 var(--serif);color:var(--ink);margin:0 0 .75rem}
.lede{font-size:1.125rem;color:var(--body);margin:0 0 1.5rem;max-width:36rem}
.card{background:var(--paper);border:1px solid var(--rule);border-radius:12px;padding:1.5rem;margin:0 0 1.5rem}
.card>:first-child{margin-top:0}.card>:last-child{margin-bottom:0}
hr{border:0;border-top:1px solid var(--rule);margin:1.5rem 0}
@media (min-width:40rem){.card{padding:2rem}}
.field{margin:0 0 1.1rem}
label,.label{display:block;font-weight:600;color:var(--ink);margin:0 0 .35rem}
.hint{display:block;font-weight:400;font-size:.9rem;color:var(--muted)}
input[type=email],input[type=text],select{width:100%;font:inherit;color:var(--ink);background:var(--paper);border:2px solid var(--muted);border-radius:8px;padding:.6rem .75rem;min-height:2.9rem}
input[aria-invalid=true]{border-color:var(--error)}
fieldset{border:0;margin:0 0 1.1rem;padding:0}
legend{font-weight:600;color:var(--ink);padding:0;margin:0 0 .35rem}
.topics{display:grid;grid-template-columns:repeat(auto-fill,minmax(8rem,1fr));gap:.4rem .75rem;margin:.5rem 0 0}
@media (min-width:40rem){.topics{grid-template-columns:repeat(auto-fill,minmax(10.5rem,1fr))}}
pre{background:var(--page);border:1px solid var(--rule);border-radius:8px;padding:1rem;overflow:auto;font-size:.85rem;line-height:1.45;white-space:pre}
.check{display:flex;align-items:center;gap:.55rem;font-weight:400;color:var(--body);margin:0;min-height:2.25rem;cursor:pointer}
.check input{width:1.2rem;height:1.2rem;margin:0;accent-color:var(--accent);flex:none}
.button{display:inline-flex;align-items:center;justify-content:center;font:700 1rem/1.2 var(--sans);color:var(--accent-ink);background:var(--accent);
border:2px solid var(--accent);border-radius:8px;padding:.75rem 1.4rem;min-height:2.9rem;cursor:pointer;text-decoration:none}
.button:hover{filter:brightness(1.08)}
.button[disabled]{opacity:.7;cursor:progress}
.button.secondary{background:transparent;color:var(--accent)}
.button.danger{background:var(--error);border-color:var(--error);color:#fff}
@media (prefers-color-scheme:dark){.button.danger{color:#1b0605}}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;margin-top:1.25rem}
.fine{font-size:.875rem;color:var(--muted);margin:1rem 0 0}
.error-text{color:var(--error);font-weight:600;margin:.35rem 0 0}
.error-text:empty{display:none}
.alert{border-radius:8px;padding:.85rem 1rem;margin:0 0 1.25rem;font-weight:600}
.alert.error{background:var(--error-bg);color:var(--error);border-left:4px solid var(--error)}
.alert.ok{background:var(--ok-bg);color:var(--ok);border-left:4px solid var(--ok)}
.status:empty{display:none}
.status{margin:1rem 0 0}
.hp{position:absolute!important;left:-10000px!important;width:1px;height:1px;overflow:hidden}
.headlines{list-style:none;counter-reset:h;margin:0;padding:0}
.headlines li{counter-increment:h;display:grid;grid-template-columns:2.25rem 1fr;gap:.25rem;padding:.7rem 0;border-top:1px solid var(--rule)}
.headlines li:first-child{border-top:0}
.headlines li::before{content:counter(h,decimal-leading-zero);font:700 .95rem/1.6 var(--serif);color:var(--accent)}
.headlines a,.archive-list a{color:var(--ink);font-weight:600;text-decoration:none}
.headlines a:hover,.archive-list a:hover{color:var(--accent);text-decoration:underline}
.source{display:block;font-size:.875rem;color:var(--muted)}
.archive-list{list-style:none;margin:0;padding:0}
.archive-list li{padding:1rem 0;border-top:1px solid var(--rule)}
.archive-list li:first-child{border-top:0;padding-top:0}
.archive-list li:last-child{padding-bottom:0}
.archive-list .meta{display:block;margin:0 0 .15rem}
.archive-list p{margin:.25rem 0 0;color:var(--body)}
.meta{font-size:.875rem;color:var(--muted)}
.chip{display:inline-block;background:var(--chip);color:var(--chip-ink);border-radius:999px;padding:.1rem .6rem;font-size:.8rem;font-weight:600}
.site-footer{border-top:1px solid var(--rule);padding-top:1.25rem;padding-bottom:2rem;font-size:.875rem;color:var(--muted)}
.site-footer a{color:var(--muted)}
.site-footer p{margin:0 0 .35rem}
.more{margin:1rem 0 0;font-weight:600}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (prefers-reduced-motion:no-preference){.button{transition:filter .15s}}
`;

/** Enhances the signup form: JSON to /api/subscribe, errors and success announced in place. Falls back to a normal submit. */
export const SIGNUP_JS = `
(function () {
  var form = document.querySelector('form[data-signup]');
  if (!form || !window.fetch || !window.JSON) return;
  form.noValidate = true; // our own messages, announced in the live region, instead of the browser's bubbles
  var email = form.elements.namedItem('email');
  var emailError = document.getElementById('email-error');
  var status = document.getElementById('signup-status');
  var button = form.querySelector('button[type=submit]');
  var busy = false;

  function setError(message) {
    email.setAttribute('aria-invalid', 'true');
    emailError.textContent = message;
    status.className = 'status alert error';
    status.textContent = message;
    email.focus();
  }
  function clearError() {
    email.removeAttribute('aria-invalid');
    emailError.textContent = '';
    status.className = 'status';
    status.textContent = '';
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    if (busy) return;
    clearError();
    var value = email.value.trim();
    if (!value) return setError('Enter your email address.');
    if (value.indexOf('@') < 1) return setError('That does not look like an email address: it needs an @ and a domain, like name@example.com.');
    var topics = [];
    var boxes = form.querySelectorAll('input[name=topics]:checked');
    for (var i = 0; i < boxes.length; i++) topics.push(boxes[i].value);
    var body = {
      email: value,
      name: form.elements.namedItem('name').value,
      topics: topics,
      website: form.elements.namedItem('website').value,
      formVersion: form.elements.namedItem('formVersion').value
    };
    busy = true;
    button.disabled = true;
    status.className = 'status';
    status.textContent = 'Sending…';
    fetch(form.getAttribute('data-api'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (res.status === 202) {
          form.reset();
          status.className = 'status alert ok';
          status.textContent = (data && data.message) || 'Check your inbox to confirm your subscription.';
          status.focus();
        } else if (res.status === 429) {
          var wait = res.headers.get('retry-after');
          status.className = 'status alert error';
          status.textContent = 'Too many signups from your network just now. Please try again' + (wait ? ' in ' + wait + ' seconds.' : ' in a minute.');
        } else if (data && data.error && data.error.message) {
          setError(data.error.message.charAt(0).toUpperCase() + data.error.message.slice(1) + '.');
        } else {
          setError('Something went wrong. Please try again.');
        }
      });
    }).catch(function () {
      // Network trouble: let the browser do a plain form post instead.
      form.noValidate = false;
      HTMLFormElement.prototype.submit.call(form);
    }).then(function () {
      busy = false;
      button.disabled = false;
    });
  });
})();
`;

export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#b93c0a"/><text x="16" y="23" font-family="Georgia,serif" font-size="20" font-weight="700" fill="#fff" text-anchor="middle">R</text></svg>`;
