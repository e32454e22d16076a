// What browser mode checks of every request and upgrade before anything else reads it, written
// so that no request target, header or percent-encoding can make it throw:
//   1. the per-run token (query `token=` or the cookie), compared in constant time;
//   2. the Host header, exactly `127.0.0.1:PORT` (a DNS-rebound name is refused);
//   3. the path, under the per-run prefix and percent-decodable, else 404/400.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'virtdeck_token';

export type Verdict = { status: 200; path: string } | { status: 400 | 403 | 404; message: string };

export interface Guard {
  token: string;
  /** The per-run path prefix every page, asset and socket lives under: `/<random>`. */
  prefix: string;
  /** `127.0.0.1:PORT`: the one Host header accepted. */
  host: string;
}

export function tokenMatches(candidate: string | undefined | null, token: string): boolean {
  if (!candidate) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** The raw request target split at '?'; URLSearchParams never throws on bad encodings. */
function splitTarget(target: string | undefined): { rawPath: string; query: URLSearchParams } {
  const raw = target ?? '';
  const at = raw.indexOf('?');
  return { rawPath: at < 0 ? raw : raw.slice(0, at), query: new URLSearchParams(at < 0 ? '' : raw.slice(at + 1)) };
}

function decodePath(rawPath: string): string | null {
  try {
    const path = decodeURIComponent(rawPath);
    return path.includes('\0') ? null : path;
  } catch {
    return null;
  }
}

/** Whether `req` may go on, and the decoded path below the prefix ('/' for the page). */
export function checkRequest(req: IncomingMessage, guard: Guard): Verdict {
  const { rawPath, query } = splitTarget(req.url);
  if (!tokenMatches(query.get('token') ?? cookie(req.headers.cookie, TOKEN_COOKIE), guard.token)) {
    return { status: 403, message: 'VirtDeck: a valid token is required' };
  }
  if (req.headers.host !== guard.host) return { status: 403, message: `VirtDeck: open this page as http://${guard.host}/` };
  // Only origin-form targets under the prefix ("//x", "*", "http://…" are not ours).
  if (!rawPath.startsWith(`${guard.prefix}/`)) return { status: 404, message: 'Not found' };
  const path = decodePath(rawPath.slice(guard.prefix.length));
  if (path === null) return { status: 400, message: 'Bad request: the path is not valid percent-encoded UTF-8' };
  return { status: 200, path };
}
