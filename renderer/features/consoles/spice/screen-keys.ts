// Keys typed on a SPICE screen, sent as the physical key's scancode (KeyboardEvent.code), whatever
// the local keyboard layout: the guest's layout makes the character, as with a keyboard plugged
// into it. spice-client's own handler is kept out (it falls back to the layout-dependent keyCode
// for a code it lacks, and calls alert() for a key it cannot map, e.g. an IME's keyCode 229).

interface KeyLike {
  code?: string;
  preventDefault(): void;
  stopPropagation(): void;
}

/** Listen on `screen` (capture phase, ahead of the library's listeners on its canvas) and send
 *  each key press and release; keys still held when the screen loses focus are released, so no
 *  key stays down in the guest. Returns the function that stops listening (releasing held keys). */
export function takeScreenKeys(screen: EventTarget, send: (code: string, down: boolean) => boolean): () => void {
  const held = new Set<string>();
  const onKey = (down: boolean) => (event: Event) => {
    const e = event as unknown as KeyLike;
    e.preventDefault();
    e.stopPropagation();
    const code = e.code ?? '';
    if (!down && !held.has(code)) return;
    if (!send(code, down)) return;
    if (down) held.add(code);
    else held.delete(code);
  };
  const releaseAll = () => {
    for (const code of [...held].reverse()) send(code, false);
    held.clear();
  };
  const keydown = onKey(true);
  const keyup = onKey(false);
  const capture = { capture: true };
  screen.addEventListener('keydown', keydown, capture);
  screen.addEventListener('keyup', keyup, capture);
  screen.addEventListener('focusout', releaseAll);
  return () => {
    releaseAll();
    screen.removeEventListener('keydown', keydown, capture);
    screen.removeEventListener('keyup', keyup, capture);
    screen.removeEventListener('focusout', releaseAll);
  };
}
