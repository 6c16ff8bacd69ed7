// The signup form other sites can paste: a plain form (posts to /subscribe without JavaScript, where our
// page asks for one more click because of CSRF) enhanced into a JSON call to /api/subscribe (CORS_ORIGINS).
// The script is inline so the snippet is one paste; its source is src/http/assets/embed-signup.js.
import { assetText } from '../assets/asset-routes.js';

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
${assetText('embed-signup.js').replace(/^(\/\/.*\n)+/, '')}</script>`;
}
