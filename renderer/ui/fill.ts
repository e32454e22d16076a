// Height for a box that should take what is left of the page below it (a console, the fleet
// table): the page region scrolls, so "100%" means nothing there; measure instead.
import { useLayoutEffect, useState } from 'react';

/** The app shell's scrolling page region. */
export const PAGE_ID = 'vd-page';

/** The height (px) from the element's top to the bottom of the page region, at least `min`. */
export function useFillHeight(el: HTMLElement | null, min = 240): number | undefined {
  const [height, setHeight] = useState<number>();
  useLayoutEffect(() => {
    const page = document.getElementById(PAGE_ID);
    if (!el || !page) return;
    const measure = () => {
      const pad = parseFloat(getComputedStyle(page).paddingBottom) || 0;
      const top = el.getBoundingClientRect().top - page.getBoundingClientRect().top + page.scrollTop;
      setHeight(Math.max(min, Math.floor(page.clientHeight - top - pad)));
    };
    measure();
    // The page changes size with the window and the Tasks panel; content above moves the top.
    const ro = new ResizeObserver(measure);
    ro.observe(page);
    if (el.parentElement) ro.observe(el.parentElement);
    return () => ro.disconnect();
  }, [el, min]);
  return height;
}
