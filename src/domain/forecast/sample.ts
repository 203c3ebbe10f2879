/**
 * The Monte Carlo sample of the remaining window total, stored in ForecastIssued so a forecast can be
 * scored exactly later (CRPS, log score, PIT need the whole distribution, not a few quantiles). Totals of
 * count models are integers with a few hundred distinct values, so the sample is stored as its distinct
 * values (ascending) and their multiplicities: compact and lossless (JSON numbers round-trip exactly).
 */

export interface CompactSample {
  /** Distinct values, ascending. */
  readonly values: ReadonlyArray<number>
  /** How many paths took each value (positive integers, summing to the number of paths). */
  readonly counts: ReadonlyArray<number>
}

export const compactSample = (sorted: ArrayLike<number>): CompactSample => {
  const values: number[] = []
  const counts: number[] = []
  for (let i = 0; i < sorted.length; i++) {
    const x = sorted[i]!
    if (i > 0 && x < sorted[i - 1]!) throw new RangeError("sample must be sorted ascending")
    if (values.length > 0 && values[values.length - 1] === x) counts[counts.length - 1]! += 1
    else {
      values.push(x)
      counts.push(1)
    }
  }
  return { values, counts }
}

/** The sample back as one value per path, ascending. */
export const expandSample = (s: CompactSample): Float64Array => {
  if (s.values.length !== s.counts.length) throw new RangeError("values and counts differ in length")
  const n = s.counts.reduce((a, c) => a + c, 0)
  const out = new Float64Array(n)
  let k = 0
  s.values.forEach((v, i) => {
    out.fill(v, k, k + s.counts[i]!)
    k += s.counts[i]!
  })
  return out
}
