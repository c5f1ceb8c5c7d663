// The views as an ARIA tab list: click or arrow keys switch, Home/End jump.
export const VIEWS = ["answer", "compare", "match", "racks", "serve"] as const;
export type View = (typeof VIEWS)[number];

export function setupTabs(onShow: (v: View) => void): (v: View) => void {
  const tab = (v: View) => document.getElementById(`tab-${v}`) as HTMLButtonElement;
  const show = (v: View, focus = false) => {
    for (const x of VIEWS) {
      const on = x === v;
      tab(x).setAttribute("aria-selected", String(on));
      tab(x).tabIndex = on ? 0 : -1;
      (document.getElementById(`view-${x}`) as HTMLElement).hidden = !on;
    }
    if (focus) tab(v).focus();
    onShow(v);
  };
  for (const v of VIEWS) {
    tab(v).addEventListener("click", () => show(v));
    tab(v).addEventListener("keydown", (e) => {
      const i = VIEWS.indexOf(v);
      const to =
        e.key === "ArrowRight"
          ? VIEWS[(i + 1) % VIEWS.length]
          : e.key === "ArrowLeft"
            ? VIEWS[(i + VIEWS.length - 1) % VIEWS.length]
            : e.key === "Home"
              ? VIEWS[0]
              : e.key === "End"
                ? VIEWS[VIEWS.length - 1]
                : undefined;
      if (to) {
        e.preventDefault();
        show(to, true);
      }
    });
  }
  return (v) => show(v);
}
