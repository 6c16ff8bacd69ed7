/** @jsxImportSource hono/jsx */
// What the editor's list pages (subscribers, audit log, dev mailbox, dashboard activity) are made of: a GET
// filter form, a table or its empty state, a pager, and how an audit entry names what it touched.
import type { Child } from 'hono/jsx';

export function FilterForm(props: { action: string; search?: boolean; primary?: boolean; children: Child }) {
  return (
    <form method="get" action={props.action} class="row" role={props.search ? 'search' : undefined} style="padding:16px 16px 4px">
      {props.children}
      <div class="field btn-cell">
        <button class={props.primary === false ? 'btn' : 'btn primary'} type="submit">
          Filter
        </button>
      </div>
    </form>
  );
}

export function SelectField(props: {
  id: string;
  name: string;
  label: string;
  /** The first option, which filters nothing. */
  anyLabel: string;
  options: readonly { value: string; label: string }[];
  selected: string | undefined;
  maxWidth: number;
}) {
  return (
    <div class="field" style={`max-width:${props.maxWidth}px`}>
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.name}>
        <option value="">{props.anyLabel}</option>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.selected}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A table with a header row, or `empty` when there are no rows. */
export function ListTable<T>(props: { head: readonly string[]; rows: readonly T[]; row: (r: T) => Child; empty: Child }) {
  if (!props.rows.length) return <>{props.empty}</>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            {props.head.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{props.rows.map((r) => props.row(r))}</tbody>
      </table>
    </div>
  );
}

/** Back to the newest page and on to older entries; a missing link keeps its place empty. */
export function Pager(props: { newer: { href: string; label: string } | null; older: string | null }) {
  return (
    <div class="pager">
      {props.newer ? <a href={props.newer.href}>{props.newer.label}</a> : <span></span>}
      {props.older ? <a href={props.older}>Older →</a> : <span></span>}
    </div>
  );
}

/** What an audit entry touched: issues and subscribers link to their pages. */
export function AuditTarget({ type, id }: { type: string | null; id: string | null }) {
  if (type === 'issue' && id) return <a href={`/editor/issues/${id}`}>{id}</a>;
  if (type === 'subscriber' && id) return <a href={`/editor/subscribers/${id}`}>subscriber #{id}</a>;
  return <>{type ? `${type} ${id ?? ''}` : '—'}</>;
}
