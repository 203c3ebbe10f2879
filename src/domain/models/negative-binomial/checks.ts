/**
 * Degenerate designs, found before fitting so they turn into named warnings rather than NaNs:
 *
 * - constant columns (other than the intercept) and columns that are linear combinations of earlier
 *   columns carry no information of their own: they are DROPPED (coefficient reported as 0, no SE);
 * - a column whose non-zero rows all have y = 0 and one sign (e.g. an hour-of-day dummy for an hour
 *   that never saw a post) is PERFECTLY SEPARATED: its ML coefficient is −∞ (μ = 0 on those rows). It is
 *   kept but ridge-penalised (λ = SEPARATION_RIDGE unless the spec's ridge is larger), which gives a
 *   large negative, finite coefficient.
 *
 * Only single-column separation is detected; separation by a combination of columns shows up as a fit
 * that does not converge (reported, never NaN).
 */
import { dependentColumns } from "./linalg"
import { csrGram, toCsr } from "./sparse"

export const SEPARATION_RIDGE = 1

export interface DroppedColumn {
  readonly index: number
  readonly name: string
  readonly reason: "constant" | "all_zero" | "collinear"
}

export interface DesignCheck {
  /** Indices kept, ascending. */
  readonly keep: ReadonlyArray<number>
  readonly dropped: ReadonlyArray<DroppedColumn>
  /** Indices (into the full design) of separated columns. */
  readonly separated: ReadonlyArray<number>
  /** Index (into the full design) of the intercept column, if any. */
  readonly intercept: number | undefined
  readonly warnings: ReadonlyArray<string>
}

export const checkDesign = (X: Float64Array, n: number, p: number, y: Float64Array, columns: ReadonlyArray<string>): DesignCheck => {
  const dropped: DroppedColumn[] = []
  let intercept: number | undefined
  const candidates: number[] = []
  for (let j = 0; j < p; j++) {
    let lo = Infinity
    let hi = -Infinity
    for (let i = 0; i < n; i++) {
      const v = X[i * p + j]!
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
    if (lo === hi) {
      if (lo === 0) dropped.push({ index: j, name: columns[j]!, reason: "all_zero" })
      else if (intercept === undefined) {
        intercept = j
        candidates.push(j)
      } else dropped.push({ index: j, name: columns[j]!, reason: "constant" })
    } else candidates.push(j)
  }
  // Rank check on the remaining columns (earlier columns win), on the sparse Gram matrix.
  const q = candidates.length
  const G = new Float64Array(q * q)
  csrGram(toCsr(X, n, p, candidates), new Float64Array(n).fill(1), G)
  const dependent = new Set(dependentColumns(G, q).map((k) => candidates[k]!))
  for (const j of dependent) dropped.push({ index: j, name: columns[j]!, reason: "collinear" })
  const keep = candidates.filter((j) => !dependent.has(j))

  const separated: number[] = []
  for (const j of keep) {
    if (j === intercept) continue
    let support = 0
    let positive = 0
    let ySum = 0
    for (let i = 0; i < n; i++) {
      const v = X[i * p + j]!
      if (v !== 0) {
        support++
        if (v > 0) positive++
        ySum += y[i]!
      }
    }
    if (support > 0 && ySum === 0 && (positive === 0 || positive === support)) separated.push(j)
  }

  dropped.sort((a, b) => a.index - b.index)
  const warnings: string[] = []
  const names = (reason: DroppedColumn["reason"]) => dropped.filter((d) => d.reason === reason).map((d) => d.name)
  if (names("all_zero").length > 0) warnings.push(`dropped all-zero columns (no information): ${names("all_zero").join(", ")}`)
  if (names("constant").length > 0) warnings.push(`dropped constant columns (collinear with the intercept): ${names("constant").join(", ")}`)
  if (names("collinear").length > 0) warnings.push(`dropped columns that are linear combinations of earlier columns: ${names("collinear").join(", ")}`)
  if (separated.length > 0) {
    warnings.push(
      `perfectly separated columns (y = 0 wherever the column is non-zero, ML coefficient would be -Infinity), ` +
        `ridge-penalised instead: ${separated.map((j) => columns[j]!).join(", ")}`
    )
  }
  return { keep, dropped, separated, intercept, warnings }
}
