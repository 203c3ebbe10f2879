/**
 * URLs of modules loaded at run time by name (worker entry, worker tasks). From source (tsx, vitest)
 * they are the `.ts` files beside the caller; in the compiled CLI every entry and chunk sits flat in
 * `dist/`, so the same name resolves to `dist/<name>.js` (scripts/build.mjs makes those entries).
 */
export const siblingModule = (callerUrl: string, name: string): string => {
  const fromSource = callerUrl.endsWith(".ts")
  return new URL(`./${name}${fromSource ? ".ts" : ".js"}`, callerUrl).href
}
