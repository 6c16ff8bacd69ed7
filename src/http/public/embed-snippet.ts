// The signup form other sites can paste: a plain form (posts to /subscribe without JavaScript, where our
// page asks for one more click because of CSRF) enhanced into a JSON call to /api/subscribe (CORS_ORIGINS).

export const EMBED_FORM_VERSION = 'embed-v1';

export function embedSnippet(publicUrl: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  return `<!-- Weekly AI Recap signup. Add this site's origin to CORS_ORIGINS on the recap server. -->
<form class="wr-signup" action="${base}/subscribe" method="post" data-wr-api="${base}/api/subscribe">
  <label for="wr-email">Email address</label>
  <input id="wr-email" name="email" type="email" autocomplete="email" required maxlength="254">
  <input type="hidden" name="formVersion" value="${EMBED_FORM_VERSION}">
  <div style="position:absolute;left:-10000px" aria-hidden="true"><input name="website" tabindex="-1" autocomplete="off"></div>
  <button type="submit">Subscribe to the Weekly AI Recap</button>
  <p class="wr-status" role="status" aria-live="polite"></p>
</form>
<script>
document.querySelectorAll('form.wr-signup').forEach(function (form) {
  form.addEventListener('submit', function (ev) {
    if (!window.fetch) return;
    ev.preventDefault();
    var status = form.querySelector('.wr-status');
    status.textContent = 'Sending…';
    fetch(form.getAttribute('data-wr-api'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: form.elements.email.value, website: form.elements.website.value, formVersion: form.elements.formVersion.value })
    }).then(function (res) {
      return res.json().then(function (data) {
        status.textContent = res.status === 202 ? data.message : (data.error && data.error.message) || 'Please try again.';
      });
    }).catch(function () { form.submit(); });
  });
});
</script>`;
}
