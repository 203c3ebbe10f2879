/**
 * Compressed-row copy of a design matrix. The hourly design is mostly dummies (about 5 non-zeros in
 * 32 per row), so Xβ and XᵀWX over the non-zeros are ~20x cheaper than the dense loops; the code is
 * generic, so a dense design simply has every entry listed.
 */
export interface CsrMatrix {
  readonly n: number
  readonly p: number
  readonly rowPtr: Int32Array
  readonly colIdx: Int32Array
  readonly values: Float64Array
}

/** CSR of the row-major n × p matrix X restricted to the columns `keep` (renumbered 0..keep.length-1). */
export const toCsr = (X: Float64Array, n: number, p: number, keep?: ReadonlyArray<number>): CsrMatrix => {
  const cols = keep ?? Array.from({ length: p }, (_, j) => j)
  let nnz = 0
  for (let i = 0; i < n; i++) for (let c = 0; c < cols.length; c++) if (X[i * p + cols[c]!] !== 0) nnz++
  const rowPtr = new Int32Array(n + 1)
  const colIdx = new Int32Array(nnz)
  const values = new Float64Array(nnz)
  let k = 0
  for (let i = 0; i < n; i++) {
    rowPtr[i] = k
    for (let c = 0; c < cols.length; c++) {
      const v = X[i * p + cols[c]!]!
      if (v !== 0) {
        colIdx[k] = c
        values[k++] = v
      }
    }
  }
  rowPtr[n] = k
  return { n, p: cols.length, rowPtr, colIdx, values }
}

/** The CSR of the columns `keep` (ascending) of A, renumbered 0..keep.length-1. */
export const csrSelect = (A: CsrMatrix, keep: ReadonlyArray<number>): CsrMatrix => {
  if (keep.length === A.p) return A
  const map = new Int32Array(A.p).fill(-1)
  keep.forEach((j, c) => (map[j] = c))
  let nnz = 0
  for (let k = 0; k < A.colIdx.length; k++) if (map[A.colIdx[k]!]! >= 0) nnz++
  const rowPtr = new Int32Array(A.n + 1)
  const colIdx = new Int32Array(nnz)
  const values = new Float64Array(nnz)
  let o = 0
  for (let i = 0; i < A.n; i++) {
    rowPtr[i] = o
    for (let k = A.rowPtr[i]!; k < A.rowPtr[i + 1]!; k++) {
      const c = map[A.colIdx[k]!]!
      if (c >= 0) {
        colIdx[o] = c
        values[o++] = A.values[k]!
      }
    }
  }
  rowPtr[A.n] = o
  return { n: A.n, p: keep.length, rowPtr, colIdx, values }
}

/** out = A·b (+ offset). */
export const csrMulVec = (A: CsrMatrix, b: ArrayLike<number>, out: Float64Array, offset?: ArrayLike<number>): void => {
  const { rowPtr, colIdx, values } = A
  for (let i = 0; i < A.n; i++) {
    let s = offset === undefined ? 0 : offset[i]!
    for (let k = rowPtr[i]!; k < rowPtr[i + 1]!; k++) s += values[k]! * b[colIdx[k]!]!
    out[i] = s
  }
}

/** out = Aᵀ·v (length p). */
export const csrTMulVec = (A: CsrMatrix, v: ArrayLike<number>, out: Float64Array): void => {
  const { rowPtr, colIdx, values } = A
  out.fill(0)
  for (let i = 0; i < A.n; i++) {
    const vi = v[i]!
    if (vi === 0) continue
    for (let k = rowPtr[i]!; k < rowPtr[i + 1]!; k++) out[colIdx[k]!]! += values[k]! * vi
  }
}

/** out (p × p row-major, symmetric) = Aᵀ diag(w) A. */
export const csrGram = (A: CsrMatrix, w: ArrayLike<number>, out: Float64Array): void => {
  const { rowPtr, colIdx, values, p } = A
  out.fill(0)
  for (let i = 0; i < A.n; i++) {
    const wi = w[i]!
    if (wi === 0) continue
    const end = rowPtr[i + 1]!
    for (let k = rowPtr[i]!; k < end; k++) {
      const a = colIdx[k]!
      const va = values[k]! * wi
      for (let l = rowPtr[i]!; l <= k; l++) out[a * p + colIdx[l]!]! += va * values[l]!
    }
  }
  // Columns are listed in increasing order within a row, so only the lower triangle was filled.
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) out[b * p + a] = out[a * p + b]!
}
