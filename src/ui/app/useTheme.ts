/** Light by default, dark on request; remembered, and set on <html data-theme>. */
import { useEffect, useState } from 'react';
import { browserStorage } from '../persistence/editorDrafts';

export type Theme = 'light' | 'dark';
const key = 'sql-playground:theme';

function storedTheme(): Theme {
  try {
    return browserStorage()?.getItem(key) === 'dark' ? 'dark' : 'light';
  } catch {
    return 'light';
  }
}

export function useTheme(): [Theme, (theme: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(storedTheme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    try {
      browserStorage()?.setItem(key, theme);
    } catch {
      // Not remembered; still applied.
    }
  }, [theme]);
  return [theme, setTheme];
}
