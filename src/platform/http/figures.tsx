import type { ComponentChildren } from 'preact';

/** A row of cards, each a large figure with what it counts: the totals at the top of a report or a ledger. */
export function Figures({ label, children }: { label?: string; children: ComponentChildren }) {
  return (
    <ul class="figures" aria-label={label}>
      {children}
    </ul>
  );
}

/** One card of `Figures`: the figure, its label and, below them, a note. */
export function Figure({ value, label, note }: { value: string; label: string; note?: ComponentChildren }) {
  return (
    <li>
      <span class="figure">{value}</span> <strong>{label}</strong>
      {note ? <span class="hint">{note}</span> : null}
    </li>
  );
}
