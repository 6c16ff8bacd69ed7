// The script in the embeddable signup form (public/embed-snippet.ts pastes it inline into other sites' pages):
// old syntax on purpose, since it runs on pages we do not control, in whatever browsers their readers use.
// biome-ignore-all lint/complexity/useArrowFunction: ES5 on purpose (see above)
// biome-ignore-all lint/complexity/useOptionalChain: ES5 on purpose (see above)
document.querySelectorAll('form.wr-signup').forEach(function (form) {
  form.addEventListener('submit', function (ev) {
    if (!window.fetch) return;
    ev.preventDefault();
    var status = form.querySelector('.wr-status');
    status.textContent = 'Sending…';
    fetch(form.getAttribute('data-wr-api'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: form.elements.email.value, website: form.elements.website.value, formVersion: form.elements.formVersion.value }),
    })
      .then(function (res) {
        return res.json().then(function (data) {
          status.textContent = res.status === 202 ? data.message : (data.error && data.error.message) || 'Please try again.';
        });
      })
      .catch(function () {
        form.submit();
      });
  });
});
