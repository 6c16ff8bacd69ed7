/** @jsxImportSource hono/jsx */
// The click-measurement consent checkbox (issue 16), the same on the signup form and the preferences page.

export function ClickConsentField(p: { checked: boolean; tracking: 'off' | 'aggregate' | 'reader' }) {
  const now =
    p.tracking === 'reader'
      ? 'Without it we count clicks per story only, never who clicked.'
      : p.tracking === 'aggregate'
        ? 'Right now we count clicks per story only, never who clicked; this choice applies if that changes.'
        : 'Right now we measure no clicks at all; this choice applies if that changes.';
  return (
    <div class="field">
      <input type="hidden" name="clicksShown" value="1" />
      <label class="check">
        <input type="checkbox" name="clicks" value="yes" checked={p.checked} aria-describedby="clicks-hint" />
        Let us see which stories I click
      </label>
      <span id="clicks-hint" class="hint">
        {`Your story links then name you, so the editor learns what you read (kept 180 days). ${now} No tracking pixels. You can change this any time.`}
      </span>
    </div>
  );
}
