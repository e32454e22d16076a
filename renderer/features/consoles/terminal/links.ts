// Links in a terminal come from the guest or the host (OSC 8 hyperlinks, or text that looks like
// a URL): text anyone with a shell there can print. So a link is never followed on a click
// alone: the person is shown the whole address and asked, and only http(s) addresses are ever
// offered (no javascript:, file:, or custom schemes that start local programs).

export type LinkDecision = { open: true; url: string } | { open: false; why: string };

export function linkDecision(text: string): LinkDecision {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { open: false, why: 'not an address' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { open: false, why: `a ${url.protocol} link is never opened from a console` };
  if (url.username || url.password) return { open: false, why: 'an address with a user name or password in it is never opened from a console' };
  return { open: true, url: url.href };
}
