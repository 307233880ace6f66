/** The editors' font size: 18px, or 21px on a wide screen (as the type in theme.css). */
import { useEffect, useState } from 'react';

const wideScreen = '(min-width: 1700px) and (min-height: 950px)';

export function useEditorFontSize(): number {
  const [wide, setWide] = useState(() => window.matchMedia(wideScreen).matches);
  useEffect(() => {
    const query = window.matchMedia(wideScreen);
    const onChange = () => setWide(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return wide ? 21 : 18;
}
