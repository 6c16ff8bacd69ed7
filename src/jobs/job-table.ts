// The scheduled jobs, declared once: node-cron runs them on Node, Cron Triggers on Workers.
import type { Deps } from '../core/deps.js';

export interface JobDefinition {
  name: string;
  /** 5-field cron expression, evaluated in `timeZone`. */
  cron: string;
  timeZone: string;
  /** Run once at start-up too (catch-up after downtime). */
  runOnStart?: boolean;
  run(deps: Deps): Promise<unknown>;
}

export function jobTable(_deps: Deps): JobDefinition[] {
  return [];
}
