/** @jsxImportSource hono/jsx */
// Editor accounts: who can sign in; admins add editors and disable them (which ends their sessions).
import { Hono } from 'hono';
import type { Deps } from '../../core/deps.js';
import { addEditor, listEditorAccounts, setEditorActive } from '../../core/editors/editor-auth.js';
import { fmtDateTime } from './format.js';
import { redirectWith } from './flash.js';
import { CsrfField } from '../csrf-field.js';
import { Badge, PostButton, renderPage } from './layout.js';
import { formField, type EditorEnv } from './session.js';

export function editorAccountRoutes(deps: Deps) {
  const app = new Hono<EditorEnv>();
  const tz = deps.config.tz;

  app.get('/editors', async (c) => {
    const session = c.get('session')!;
    const editors = await listEditorAccounts(deps);
    const isAdmin = session.editor.role === 'admin';
    return renderPage(
      c,
      deps,
      { title: 'Editors', section: 'editors', subtitle: 'People who can sign in to this workspace. Accounts in EDITOR_EMAILS are admins.' },
      <div class="split">
        <section class="card card-flush">
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Editor</th>
                  <th scope="col">Role</th>
                  <th scope="col">Last sign-in</th>
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {editors.map((e) => (
                  <tr>
                    <td>
                      <strong>{e.email}</strong>
                      {e.disabledAt ? (
                        <div>
                          <Badge status="canceled" label="disabled" />
                        </div>
                      ) : null}
                    </td>
                    <td>{e.role}</td>
                    <td class="small">{fmtDateTime(e.lastLoginAt, tz)}</td>
                    <td>
                      {isAdmin && e.id !== session.editor.id ? (
                        <PostButton
                          action={`/editor/editors/${e.id}/${e.disabledAt ? 'enable' : 'disable'}`}
                          csrf={session.csrfToken}
                          label={e.disabledAt ? 'Enable' : 'Disable'}
                          class={`sm ${e.disabledAt ? '' : 'danger'}`}
                          ariaLabel={`${e.disabledAt ? 'Enable' : 'Disable'} ${e.email}`}
                        />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <aside>
          {isAdmin ? (
            <section class="card" aria-labelledby="add-editor">
              <h2 id="add-editor">Add an editor</h2>
              <form method="post" action="/editor/editors">
                <CsrfField token={session.csrfToken} />
                <div class="field">
                  <label for="ed-email">Email</label>
                  <input id="ed-email" type="email" name="email" required />
                </div>
                <fieldset class="field" style="border:0;padding:0">
                  <legend style="font-weight:600;font-size:13px;margin-bottom:6px">Role</legend>
                  <div class="radio-row">
                    <label>
                      <input type="radio" name="role" value="editor" checked /> Editor
                    </label>
                    <label>
                      <input type="radio" name="role" value="admin" /> Admin
                    </label>
                  </div>
                </fieldset>
                <button class="btn primary" type="submit">
                  Add editor
                </button>
                <p class="help small muted" style="margin-top:8px">
                  They sign in with a magic link sent to that address.
                </p>
              </form>
            </section>
          ) : (
            <section class="card">
              <p class="small muted">Only admins can add or disable editors.</p>
            </section>
          )}
        </aside>
      </div>,
    );
  });

  app.post('/editors', async (c) => {
    const role = (await formField(c, 'role')) === 'admin' ? 'admin' : 'editor';
    await addEditor(deps, c.get('session')!.editor, { email: (await formField(c, 'email')) ?? '', role });
    return redirectWith(c, '/editor/editors', 'ok', 'Editor added. They can sign in now.');
  });

  app.post('/editors/:id{[0-9]+}/:op{enable|disable}', async (c) => {
    await setEditorActive(deps, c.get('session')!.editor, Number(c.req.param('id')), c.req.param('op') === 'enable');
    return redirectWith(c, '/editor/editors', 'ok', c.req.param('op') === 'enable' ? 'Editor enabled.' : 'Editor disabled and signed out.');
  });

  return app;
}
