// Everything a visitor and a subscriber touch, as one Hono sub-app: signup, confirmation,
// unsubscribe, preferences, archive and feed (their stylesheet and script are served by ../assets/asset-routes.ts).
import { Hono } from 'hono';
import type { Deps } from '../../core/deps.js';
import { createSignupService, type SignupService } from '../../core/subscribers/signup.js';
import { createSignupLimiter } from '../signup-limiter.js';
import { archiveRoutes } from './archive-routes.js';
import { clickRoutes } from './click-routes.js';
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

  app.route('/', signupRoutes(deps, signups, limiter));
  app.route('/', subscriberRoutes(deps));
  app.route('/', archiveRoutes(deps));
  app.route('/', clickRoutes(deps));
  app.drainSignups = () => signups.drain();
  return app;
}
