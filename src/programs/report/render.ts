/**
 * Vega-Lite spec -> Vega -> SVG string, headless in Node.
 *
 * The View runs with renderer "none" (no DOM, no canvas): `toSVG()` builds the scenegraph and writes
 * SVG markup. Without the optional `canvas` package, Vega measures text by its built-in estimate, which
 * is what lets this run on a bare machine. The loader refuses every URL and file: specs carry their data
 * inline, so the report never depends on the network, even by accident.
 *
 * A warning from Vega-Lite or Vega (a dropped encoding, an unknown field, a failed data load) means the
 * chart does not show what its spec says: it fails the chart instead of drawing something wrong.
 */
import { Data, Effect } from "effect"
import * as vega from "vega"
import { compile, type TopLevelSpec } from "vega-lite"

export class ChartRenderError extends Data.TaggedError("ChartRenderError")<{ readonly chart: string; readonly reason: string }> {
  override get message(): string {
    return `chart ${this.chart} could not be rendered: ${this.reason}`
  }
}

const offlineLoader = (): vega.Loader => {
  const loader = vega.loader()
  const refuse = (what: string) => Promise.reject(new Error(`the report loads no external data (${what})`))
  loader.load = (uri: string) => refuse(uri)
  loader.http = (uri: string) => refuse(uri)
  loader.file = (path: string) => refuse(path)
  return loader
}

/** A Vega logger that records warnings and errors instead of printing them. */
const collectingLogger = (into: string[]) =>
  vega.logger(vega.Warn, undefined, (_method, level, args) => {
    into.push(`${level} ${args.map((a) => (a instanceof Error ? a.message : String(a))).join(" ")}`)
  })

/** The Vega spec of a Vega-Lite spec and what the compiler warned about. */
export const compileSpec = (spec: TopLevelSpec): { readonly vega: vega.Spec; readonly warnings: ReadonlyArray<string> } => {
  const warnings: string[] = []
  const compiled = compile(spec, { logger: collectingLogger(warnings) }).spec
  return { vega: compiled, warnings }
}

// Vega's SVG ids (clip paths, gradients) are unique within one process but start again in every
// process; prefixing them per chart keeps them unique within one HTML page whatever produced it.
const prefixIds = (svg: string, prefix: string): string =>
  svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${prefix}-${id})`)
    .replace(/(xlink:)?href="#([^"]+)"/g, (_m, x: string | undefined, id: string) => `${x ?? ""}href="#${prefix}-${id}"`)

/** SVG markup of a spec; rejects on any compiler or runtime warning. */
export const specToSvg = async (spec: TopLevelSpec, idPrefix: string): Promise<string> => {
  const compiledSpec = compileSpec(spec)
  const compiled = compiledSpec.vega
  const warnings = [...compiledSpec.warnings]
  const view = new vega.View(vega.parse(compiled), { renderer: "none", loader: offlineLoader(), logger: collectingLogger(warnings) })
  try {
    const svg = await view.toSVG()
    if (warnings.length > 0) throw new Error(warnings.join("; "))
    return prefixIds(svg, idPrefix)
  } finally {
    view.finalize()
  }
}

/** Renders one chart; `name` (a CSS-safe identifier) names it in errors and prefixes its SVG ids. */
export const renderSvg = (name: string, spec: TopLevelSpec): Effect.Effect<string, ChartRenderError> =>
  Effect.tryPromise({
    try: () => specToSvg(spec, name),
    catch: (cause) => new ChartRenderError({ chart: name, reason: cause instanceof Error ? cause.message : String(cause) })
  })
