// The little JavaScript the workspace uses (drag to reorder, local times, live send progress); every page works without it.
(() => {
  document.documentElement.classList.add('js');
  const csrf = document.querySelector('meta[name=csrf-token]')?.content ?? '';

  // Local time beside instants shown in the newsletter's zone.
  const fmt = (d) =>
    d.toLocaleString(undefined, {
      weekday: 'short',
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    });
  for (const el of document.querySelectorAll('[data-local-time]')) {
    const d = new Date(el.getAttribute('data-local-time'));
    if (Number.isNaN(d.getTime())) continue;
    el.textContent = `Your time: ${fmt(d)}`;
    el.hidden = false;
  }

  // Drag to reorder; the up/down buttons do the same without JavaScript.
  const list = document.querySelector('[data-sortable]');
  if (list) {
    let dragged = null;
    for (const li of list.querySelectorAll('[data-item-id]')) {
      li.setAttribute('draggable', 'true');
      li.addEventListener('dragstart', (e) => {
        dragged = li;
        li.classList.add('dragging');
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', li.getAttribute('data-item-id'));
      });
      li.addEventListener('dragend', () => {
        li.classList.remove('dragging');
        for (const x of list.querySelectorAll('.drop-target')) x.classList.remove('drop-target');
      });
      li.addEventListener('dragover', (e) => {
        if (!dragged || dragged === li) return;
        e.preventDefault();
        li.classList.add('drop-target');
      });
      li.addEventListener('dragleave', () => {
        li.classList.remove('drop-target');
      });
      li.addEventListener('drop', (e) => {
        e.preventDefault();
        li.classList.remove('drop-target');
        if (!dragged || dragged === li) return;
        const r = li.getBoundingClientRect();
        const after = e.clientY > r.top + r.height / 2;
        list.insertBefore(dragged, after ? li.nextSibling : li);
        const ids = Array.from(list.querySelectorAll('[data-item-id]'), (x) => Number(x.getAttribute('data-item-id')));
        list.setAttribute('aria-busy', 'true');
        fetch(list.getAttribute('data-sortable'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify({ order: ids }),
          credentials: 'same-origin',
        })
          .then((res) => {
            if (!res.ok) throw new Error(String(res.status));
            location.reload();
          })
          .catch(() => {
            alert('Could not save the new order. Reload the page and try again.');
          });
      });
    }
  }

  // Scheduling: show what the chosen wall-clock time in the newsletter's zone is for the editor.
  const zoneOffset = (ms, tz) => {
    const p = {};
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(new Date(ms));
    for (const x of parts) p[x.type] = Number(x.value);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
  };
  const sched = document.querySelector('[data-schedule-tz]');
  if (sched) {
    const tz = sched.getAttribute('data-schedule-tz');
    const out = sched.querySelector('[data-schedule-local]');
    const update = () => {
      const d = sched.querySelector('input[name=date]').value;
      const t = sched.querySelector('input[name=time]').value;
      if (!d || !t) {
        out.textContent = '';
        return;
      }
      const [year, month, day] = d.split('-').map(Number);
      const [hour, minute] = t.split(':').map(Number);
      const guess = Date.UTC(year, month - 1, day, hour, minute);
      // Twice: the first offset is the one at the guessed instant, which is off by the jump near a DST change.
      const at = guess - zoneOffset(guess - zoneOffset(guess, tz), tz);
      out.textContent = `That is ${fmt(new Date(at))} where you are.`;
    };
    sched.addEventListener('input', update);
    update();
  }

  // Live progress while an issue is being sent.
  const prog = document.querySelector('[data-progress-url]');
  if (prog) {
    const url = prog.getAttribute('data-progress-url');
    const bar = prog.querySelector('.progress>span');
    const label = prog.querySelector('[data-progress-label]');
    const tick = () => {
      fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
        .then((r) => r.json())
        .then((v) => {
          const c = v.counts || {};
          const total = c.total || 0;
          const done = (c.sent || 0) + (c.failed || 0) + (c.suppressed || 0);
          const pct = total ? Math.min(100, Math.round((done * 100) / total)) : v.status === 'sent' ? 100 : 0;
          bar.style.width = `${pct}%`;
          prog.querySelector('.progress').setAttribute('aria-valuenow', String(pct));
          label.textContent =
            `${pct}% · ${(c.sent || 0).toLocaleString()} of ${total.toLocaleString()} sent` +
            (c.failed ? ` · ${c.failed} failed` : '') +
            (c.delivered ? ` · ${c.delivered.toLocaleString()} delivered` : '');
          for (const k of Object.keys(c)) {
            const el = prog.querySelector(`[data-count="${k}"]`);
            if (el) el.textContent = Number(c[k]).toLocaleString();
          }
          for (const st of document.querySelectorAll('[data-status], .sub .badge')) {
            st.textContent = v.status;
            st.className = `badge ${v.status}`;
          }
          if (v.status === 'sending') setTimeout(tick, 1000);
          else {
            const h = prog.querySelector('[data-progress-title]');
            if (h) h.textContent = v.status === 'sent' ? 'Sent' : 'Stopped';
          }
        })
        .catch(() => {
          setTimeout(tick, 3000);
        });
    };
    tick();
  }
})();
