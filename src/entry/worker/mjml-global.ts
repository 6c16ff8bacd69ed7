// Lends mjml-browser a `window` while it loads. Its webpack 4 runtime finds the global object with
// `function () { return this }()` (undefined in a strict ES module) and then `new Function("return this")`,
// which workerd forbids; the last fallback is `window`. Set only for that synchronous load, then removed,
// so nothing else in the Worker ever mistakes it for a browser.
const g = globalThis as { window?: unknown };
const lent = !('window' in g);
if (lent) g.window = globalThis;

export function returnWindow(): void {
  if (lent) delete g.window;
}
