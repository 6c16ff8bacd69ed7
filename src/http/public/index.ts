// Everything a visitor and a subscriber touch, as one Hono sub-app: signup, confirmation,
// unsubscribe, preferences, archive and feed, plus the two static files the pages use.
import { Hono } from 'hono';
import type { Deps } from '../../core/deps.js';
import { createSignupService, type SignupService } from '../../core/subscribers/signup.js';
import { createSignupLimiter } from '../signup-limiter.js';
import { archiveRoutes } from './archive-routes.js';
import { FAVICON_SVG, PUBLIC_CSS, SIGNUP_JS } from './assets.js';
import { signupRoutes } from './signup-routes.js';
import { subscriberRoutes } from './subscriber-routes.js';

export interface PublicApp extends Hono {
  /** Waits until every accepted signup is committed (shutdown, tests). */
  drainSignups(): Promise<void>;
}

export function publicApp(deps: Deps, opts: { signups?: SignupService } = {}): PublicApp {
  const app = new Hono() as PublicApp;
  const signups = opts.signups ?? createSignupService(deps);
  const limiter = createSignupLimiter({ perMinute: deps.config.signupRatePerMin, clock: deps.clock });

  const asset = (body: string, type: string) => (c: import('hono').Context) =>
    c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=3600', 'X-Content-Type-Options': 'nosniff' });
  app.get('/assets/public.css', asset(PUBLIC_CSS, 'text/css; charset=utf-8'));
  app.get('/assets/signup.js', asset(SIGNUP_JS, 'text/javascript; charset=utf-8'));
  app.get('/assets/favicon.svg', asset(FAVICON_SVG, 'image/svg+xml'));
  app.get('/favicon.ico', asset(FAVICON_SVG, 'image/svg+xml'));

  app.route('/', signupRoutes(deps, signups, limiter));
  app.route('/', subscriberRoutes(deps));
  app.route('/', archiveRoutes(deps));
  app.drainSignups = () => signups.drain();
  return app;
}
