// Fails any test that logs an unexpected console.error (Epic Stack's rule): errors must be asserted, not ignored.
import { afterEach, beforeEach, expect } from 'vitest';

let errors: unknown[][] = [];
const original = console.error;

beforeEach(() => {
  errors = [];
  console.error = (...args: unknown[]) => {
    errors.push(args);
    original(...args);
  };
});

afterEach(() => {
  console.error = original;
  expect(errors, 'unexpected console.error during test').toEqual([]);
});
