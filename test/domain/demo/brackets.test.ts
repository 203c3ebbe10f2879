import { describe, expect, it } from "vitest"
import { demoBrackets } from "../../../src/domain/demo/brackets"
import { parseBrackets } from "../../../src/domain/forecast/brackets"

describe("demo brackets", () => {
  it("are contiguous equal-width ranges around the recent median, open at both ends, and parse as brackets", () => {
    const text = demoBrackets([300, 420, 380, 350])
    // median 380 (upper middle of 4), width 10% rounded to 40, lowest edge floor((380 - 3·40)/40)·40 = 240
    expect(text).toBe("0-239,240-279,280-319,320-359,360-399,400-439,440-479,480+")
    expect(typeof parseBrackets(text)).not.toBe("string")
    expect(typeof parseBrackets(demoBrackets([]))).not.toBe("string")
    expect(typeof parseBrackets(demoBrackets([12, 9, 15]))).not.toBe("string")
  })
})
