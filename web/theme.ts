// Light/dark theme: follows the system until the user picks one; the choice is remembered.
// <html data-theme> is always the resolved "light" or "dark", so the CSS holds each palette once.
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
  const system = matchMedia("(prefers-color-scheme: dark)");
  const apply = () => {
    document.documentElement.dataset.theme =
      theme === "auto" ? (system.matches ? "dark" : "light") : theme;
    button.textContent = `Theme: ${theme}`;
    button.setAttribute(
      "aria-label",
      theme === "auto"
        ? "Colour theme: follows the system; press to change"
        : `Colour theme: ${theme}; press to change`,
    );
  };
  apply();
  button.addEventListener("click", () => {
    theme = ORDER[(ORDER.indexOf(theme) + 1) % ORDER.length];
    try {
      localStorage.setItem(KEY, theme);
    } catch {
      /* not remembered, still applied */
    }
    apply();
    onChange();
  });
  system.addEventListener("change", () => {
    if (theme === "auto") {
      apply();
      onChange();
    }
  });
}
