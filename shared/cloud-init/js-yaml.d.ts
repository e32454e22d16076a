// The part of js-yaml (4.x, which ships no types) the cloud-init builder uses.
declare module 'js-yaml' {
  export class YAMLException extends Error {
    reason: string;
    mark?: { line: number; column: number; snippet?: string };
  }
  export const JSON_SCHEMA: unknown;
  export function load(text: string, options?: { schema?: unknown; json?: boolean; filename?: string }): unknown;
  export function dump(value: unknown, options?: { lineWidth?: number; noRefs?: boolean; quotingType?: "'" | '"'; forceQuotes?: boolean; sortKeys?: boolean }): string;
}
