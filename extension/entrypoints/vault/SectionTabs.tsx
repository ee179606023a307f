import { useRef } from 'preact/hooks';
import './tabs.css';

/**
 * The vault page's sections as WAI-ARIA tabs (https://www.w3.org/WAI/ARIA/apg/patterns/tabs/): one tab
 * in the Tab order (the selected one), arrow keys, Home and End move between tabs and select them. The
 * selected tab is told apart without colour: a thick bar under it, bold text, and no border box (the
 * others keep a box and normal weight); `aria-selected` tells assistive technology. A new section is
 * one more entry in `tabs`, with a panel rendered by the page under `panelId(id)`.
 */
export interface SectionTab<T extends string> {
  id: T;
  label: string;
}

export const tabId = (id: string) => `section-tab-${id}`;
export const panelId = (id: string) => `section-panel-${id}`;

export function SectionTabs<T extends string>({ tabs, selected, onSelect }: { tabs: ReadonlyArray<SectionTab<T>>; selected: T; onSelect: (id: T) => void }) {
  const list = useRef<HTMLDivElement>(null);
  const move = (to: number) => {
    const next = tabs[(to + tabs.length) % tabs.length]!;
    onSelect(next.id);
    list.current?.querySelector<HTMLButtonElement>(`#${tabId(next.id)}`)?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const at = tabs.findIndex((t) => t.id === selected);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    move(to);
  };
  return (
    <div class="section-tabs" role="tablist" aria-label="Sections" ref={list} onKeyDown={onKeyDown}>
      {tabs.map((t) => {
        const active = t.id === selected;
        return (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={tabId(t.id)}
            aria-selected={active}
            aria-controls={panelId(t.id)}
            tabIndex={active ? 0 : -1}
            class={`section-tab${active ? ' selected' : ''}`}
            onClick={() => onSelect(t.id)}
          >
            {t.label}
          </button>
        );
      })}
    </div>
  );
}
