// A tiny runtime type checker for what arrives off the wire. Each checker returns the value it
// accepted (objects rebuilt with only their declared fields) or throws ParamError naming the path.
// Hand-written rather than a schema library: the contract needs strings, numbers, booleans, word
// lists, arrays and flat objects, and this keeps shared/ free of dependencies.

export class ParamError extends Error {}

export type Check<T> = (value: unknown, path: string) => T;
/** A field that may be absent (or undefined); JSON drops undefined, so both mean "not given". */
export type Optional<T> = Check<T> & { readonly optional: true };

export type Checked<C> = C extends Check<infer T> ? T : never;

type Shape = Record<string, Check<unknown>>;
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends Optional<unknown> ? never : K }[keyof S];
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends Optional<unknown> ? K : never }[keyof S];
type Flat<T> = { [K in keyof T]: T[K] };
export type ObjectOf<S extends Shape> = Flat<{ [K in RequiredKeys<S>]: Checked<S[K]> } & { [K in OptionalKeys<S>]?: Checked<S[K]> }>;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function fail(path: string, wanted: string, value: unknown): never {
  if (value === undefined) throw new ParamError(`${path} is required (${wanted})`);
  throw new ParamError(`${path} must be ${wanted}, not ${describe(value)}`);
}

export const str: Check<string> = (v, p) => (typeof v === 'string' ? v : fail(p, 'a string', v));
export const num: Check<number> = (v, p) => (typeof v === 'number' && Number.isFinite(v) ? v : fail(p, 'a number', v));
export const bool: Check<boolean> = (v, p) => (typeof v === 'boolean' ? v : fail(p, 'true or false', v));

export function oneOf<const T extends string>(words: readonly T[]): Check<T> {
  const allowed = new Set<string>(words);
  return (v, p) => (typeof v === 'string' && allowed.has(v) ? (v as T) : fail(p, `one of ${words.join(', ')}`, v));
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (v, p) => (v === null ? null : check(v, p));
}

export function optional<T>(check: Check<T>): Optional<T> {
  return Object.assign((v: unknown, p: string) => check(v, p), { optional: true as const });
}

export function arrayOf<T>(item: Check<T>): Check<T[]> {
  return (v, p) => (Array.isArray(v) ? v.map((x, i) => item(x, `${p}[${i}]`)) : fail(p, 'an array', v));
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A flat object of named fields. Fields it does not declare are dropped, so a handler only ever
 *  sees what the contract names. */
export function object<S extends Shape>(shape: S): Check<ObjectOf<S>> {
  return (v, p) => {
    if (!isPlainObject(v)) fail(p || 'the parameters', 'an object of named fields', v);
    const out: Record<string, unknown> = {};
    for (const [key, check] of Object.entries(shape)) {
      const value = Object.hasOwn(v, key) ? v[key] : undefined;
      if (value === undefined && (check as Partial<Optional<unknown>>).optional) continue;
      out[key] = check(value, p ? `${p}.${key}` : key);
    }
    return out as ObjectOf<S>;
  };
}

/** An object whose string field `tag` names its kind; the code that owns those kinds checks the
 *  rest (the domain editor's handler per edit kind). Passed on as it came. */
export function tagged<T>(tag: string): Check<T> {
  return (v, p) => {
    if (!isPlainObject(v)) fail(p, 'an object', v);
    str(v[tag], `${p}.${tag}`);
    return v as T;
  };
}

/** Compile-time: the types are the same both ways. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
