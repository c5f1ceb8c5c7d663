// Light/dark theme: follows the system until the user picks one; the choice is remembered.
const KEY = "chipscale-theme";
const ORDER = ["auto", "light", "dark"] as const;
type Theme = (typeof ORDER)[number];

export function setupTheme(button: HTMLButtonElement, onChange: () => void): void {
  let theme: Theme = "auto";
  try {
    const saved = localStorage.getItem(KEY);
    if (saved && (ORDER as readonly string[]).includes(saved)) theme = saved as Theme;
  } catch {
    // storage blocked: the system theme it is
  }
  const apply = () => {
    if (theme === "auto") delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
    button.textContent = `Theme: ${theme}`;
    button.setAttribute("aria-label", theme === "auto" ? "Colour theme: follows the system; press to change" : `Colour theme: ${theme}; press to change`);
  };
  apply();
  button.addEventListener("click", () => {
    theme = ORDER[(ORDER.indexOf(theme) + 1) % ORDER.length];
    try { localStorage.setItem(KEY, theme); } catch { /* not remembered, still applied */ }
    apply();
    onChange();
  });
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => { if (theme === "auto") onChange(); });
}
