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
import { csrGram, type CsrMatrix } from "./sparse"

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

/** Checks the design given as a CSR over all its columns (see sparse.ts). */
export const checkDesign = (A: CsrMatrix, y: Float64Array, columns: ReadonlyArray<string>): DesignCheck => {
  const { n, p, rowPtr, colIdx, values } = A
  // One pass over the non-zeros: per column min/max, support size, positive entries, Σy on the support.
  const lo = new Float64Array(p).fill(Infinity)
  const hi = new Float64Array(p).fill(-Infinity)
  const support = new Float64Array(p)
  const positive = new Float64Array(p)
  const ySupport = new Float64Array(p)
  for (let i = 0; i < n; i++) {
    for (let k = rowPtr[i]!; k < rowPtr[i + 1]!; k++) {
      const j = colIdx[k]!
      const v = values[k]!
      if (v < lo[j]!) lo[j] = v
      if (v > hi[j]!) hi[j] = v
      support[j]!++
      if (v > 0) positive[j]!++
      ySupport[j]! += y[i]!
    }
  }
  const dropped: DroppedColumn[] = []
  let intercept: number | undefined
  const candidates: number[] = []
  for (let j = 0; j < p; j++) {
    const constant = support[j] === 0 || (support[j] === n && lo[j] === hi[j])
    if (!constant) candidates.push(j)
    else if (support[j] === 0) dropped.push({ index: j, name: columns[j]!, reason: "all_zero" })
    else if (intercept === undefined) {
      intercept = j
      candidates.push(j)
    } else dropped.push({ index: j, name: columns[j]!, reason: "constant" })
  }
  // Rank check on the remaining columns (earlier columns win).
  const G = new Float64Array(p * p)
  csrGram(A, new Float64Array(n).fill(1), G)
  const q = candidates.length
  const Gq = new Float64Array(q * q)
  candidates.forEach((j, a) => candidates.forEach((k, b) => (Gq[a * q + b] = G[j * p + k]!)))
  const dependent = new Set(dependentColumns(Gq, q).map((k) => candidates[k]!))
  for (const j of dependent) dropped.push({ index: j, name: columns[j]!, reason: "collinear" })
  const keep = candidates.filter((j) => !dependent.has(j))

  const separated = keep.filter(
    (j) => j !== intercept && support[j]! > 0 && ySupport[j] === 0 && (positive[j] === 0 || positive[j] === support[j])
  )

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
