// Enhances the signup form: JSON to /api/subscribe, errors and success announced in place. Falls back to a normal submit.
(() => {
  const form = document.querySelector('form[data-signup]');
  if (!form || !window.fetch || !window.JSON) return;
  form.noValidate = true; // our own messages, announced in the live region, instead of the browser's bubbles
  const email = form.elements.namedItem('email');
  const emailError = document.getElementById('email-error');
  const status = document.getElementById('signup-status');
  const button = form.querySelector('button[type=submit]');
  let busy = false;

  const setError = (message) => {
    email.setAttribute('aria-invalid', 'true');
    emailError.textContent = message;
    status.className = 'status alert error';
    status.textContent = message;
    email.focus();
  };
  const clearError = () => {
    email.removeAttribute('aria-invalid');
    emailError.textContent = '';
    status.className = 'status';
    status.textContent = '';
  };

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (busy) return;
    clearError();
    const value = email.value.trim();
    if (!value) return setError('Enter your email address.');
    if (value.indexOf('@') < 1) return setError('That does not look like an email address: it needs an @ and a domain, like name@example.com.');
    const topics = Array.from(form.querySelectorAll('input[name=topics]:checked'), (box) => box.value);
    const body = {
      email: value,
      name: form.elements.namedItem('name').value,
      topics,
      website: form.elements.namedItem('website').value,
      formVersion: form.elements.namedItem('formVersion').value,
    };
    const clicks = form.elements.namedItem('clicks');
    if (clicks?.checked) body.clickMeasurement = true;
    busy = true;
    button.disabled = true;
    status.className = 'status';
    status.textContent = 'Sending…';
    fetch(form.getAttribute('data-api'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(body),
    })
      .then((res) =>
        res
          .json()
          .catch(() => ({}))
          .then((data) => {
            if (res.status === 202) {
              form.reset();
              status.className = 'status alert ok';
              status.textContent = data?.message || 'Check your inbox to confirm your subscription.';
              status.focus();
            } else if (res.status === 429) {
              const wait = res.headers.get('retry-after');
              status.className = 'status alert error';
              status.textContent = `Too many signups from your network just now. Please try again ${wait ? `in ${wait} seconds.` : 'in a minute.'}`;
            } else if (data?.error?.message) {
              setError(`${data.error.message.charAt(0).toUpperCase()}${data.error.message.slice(1)}.`);
            } else {
              setError('Something went wrong. Please try again.');
            }
          }),
      )
      .catch(() => {
        // Network trouble: let the browser do a plain form post instead.
        form.noValidate = false;
        HTMLFormElement.prototype.submit.call(form);
      })
      .then(() => {
        busy = false;
        button.disabled = false;
      });
  });
})();
