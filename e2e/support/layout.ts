// What a screenshot shows but an assertion can measure: text the layout cut (an ellipsis, or
// clipped by a box too narrow for it) and boxes that scroll sideways because their content does
// not fit. Each finding names the element, its text and its drawn/needed width.
import type { Locator } from '@playwright/test';

/** Every cut text and sideways scroller inside `root` (itself included), as readable lines. */
export async function cutTexts(root: Locator): Promise<string[]> {
  return root.evaluate((top) => {
    const found: string[] = [];
    const name = (el: Element) => {
      const label = el.closest('[aria-label]')?.getAttribute('aria-label') ?? '';
      return `${el.tagName.toLowerCase()} in "${label}": "${(el.textContent ?? '').trim().slice(0, 40)}" (${el.clientWidth} of ${el.scrollWidth} px)`;
    };
    for (const el of [top, ...Array.from(top.querySelectorAll('*'))]) {
      // One pixel of slack: sub-pixel text widths round either way.
      if (el.clientWidth === 0 || el.scrollWidth <= el.clientWidth + 1 || !el.checkVisibility()) continue;
      const style = getComputedStyle(el);
      const ownText = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
      if (style.textOverflow === 'ellipsis') found.push(`cut with an ellipsis: ${name(el)}`);
      else if (style.overflowX === 'auto' || style.overflowX === 'scroll') found.push(`scrolls sideways: ${name(el)}`);
      else if (style.overflowX === 'hidden' && ownText) found.push(`clipped: ${name(el)}`);
    }
    return found;
  });
}
