// Browser mode's per-run token, taken from the address the page was opened with and then removed
// from it (history.replaceState), so that it stays out of the address bar, the history and
// anything a person copies from there. It is kept in sessionStorage — per origin, so per port — for
// reloads and for the console windows this page opens; the host's HttpOnly cookie (scoped to the
// run's path prefix) authorises the page's own requests either way.
const STORAGE_KEY = 'virtdeck.token';

let taken: { token: string | null } | undefined;

function stored(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The token (null when the page has none: Electron, or the cookie alone authorises it). The
 *  first call takes it out of the address bar. */
export function pageToken(): string | null {
  if (taken) return taken.token;
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      sessionStorage.setItem(STORAGE_KEY, fromUrl);
    } catch {
      /* storage refused: the cookie still authorises this page's sockets */
    }
    url.searchParams.delete('token');
    history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
  }
  taken = { token: fromUrl ?? stored() };
  return taken.token;
}

/** `?token=…&…extra` for a socket URL, without the token when the page has none. */
export function socketQuery(extra: Record<string, string> = {}): string {
  const token = pageToken();
  return new URLSearchParams({ ...(token ? { token } : {}), ...extra }).toString();
}
