/** Parts of a list page: the filters above the results, the pager below them. */

/** A filter's drop-down: its first choice, `any`, leaves the filter off. */
export function FilterSelect(props: {
  name: string;
  label: string;
  any: string;
  options: readonly { value: string; label: string }[];
  value: string | undefined;
}) {
  return (
    <div>
      <label for={props.name}>{props.label}</label>
      <select id={props.name} name={props.name}>
        <option value="">{props.any}</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value} selected={props.value === o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A filter's search box. */
export function FilterSearch(props: {
  name: string;
  label: string;
  value: string | undefined;
  placeholder?: string;
}) {
  return (
    <div>
      <label for={props.name}>{props.label}</label>
      <input
        id={props.name}
        name={props.name}
        type="search"
        value={props.value ?? ''}
        placeholder={props.placeholder}
      />
    </div>
  );
}

/**
 * Links to the pages before and after this one, named for what they hold ("Older badges"); nothing when the
 * results fit on one page. `showPosition` adds "Page 2 of 5" between them.
 */
export function Pager(props: {
  label: string;
  page: number;
  pages: number;
  href: (page: number) => string;
  previous: string;
  next: string;
  showPosition?: boolean;
}) {
  const { page, pages } = props;
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label={props.label}>
      {page > 1 ? <a href={props.href(page - 1)}>{props.previous}</a> : null}
      {props.showPosition ? (
        <span>
          Page {page} of {pages}
        </span>
      ) : null}
      {page < pages ? <a href={props.href(page + 1)}>{props.next}</a> : null}
    </nav>
  );
}
