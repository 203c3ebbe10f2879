import { describe, expect, it } from "vitest"
import { MAX_EVERY_MS, parseEvery, parseListen } from "../../src/programs/serve/options"

describe("serve's option values", () => {
  it("reads intervals from one second to 24 days, and says why others are refused", () => {
    expect(parseEvery("30s")).toBe(30_000)
    expect(parseEvery(" 5m ")).toBe(300_000)
    expect(parseEvery("1h")).toBe(3_600_000)
    expect(parseEvery("24d")).toBe(MAX_EVERY_MS)
    expect(parseEvery("0s")).toBe('"0s" is shorter than one second')
    // Beyond a timer's 2^31 - 1 ms Effect would sleep forever: refused instead.
    expect(parseEvery("25d")).toBe('"25d" is longer than the maximum of 24d')
    expect(parseEvery("99999999999h")).toBe('"99999999999h" is longer than the maximum of 24d')
    expect(parseEvery("5 minutes")).toBe('"5 minutes" is not a duration like 30s, 5m, 1h or 1d')
  })

  it("reads HOST:PORT, IPv6 in brackets, and refuses ports above 65535", () => {
    expect(parseListen("127.0.0.1:8080")).toEqual({ host: "127.0.0.1", port: 8080 })
    expect(parseListen("[::1]:0")).toEqual({ host: "::1", port: 0 })
    expect(parseListen("localhost:65535")).toEqual({ host: "localhost", port: 65_535 })
    expect(parseListen("127.0.0.1:65536")).toBe('"127.0.0.1:65536": port 65536 is not in 0..65535')
    expect(parseListen("8080")).toBe('"8080" is not HOST:PORT (e.g. 127.0.0.1:8080)')
    expect(parseListen("999.1.1.1:80")).toBe('"999.1.1.1:80": 999.1.1.1 is not an IPv4 address')
    expect(parseListen("10.0.0:80")).toBe('"10.0.0:80": 10.0.0 is not an IPv4 address')
    expect(parseListen("[localhost]:80")).toBe('"[localhost]:80": [localhost] is not an IPv6 address')
    expect(parseListen("0.0.0.0:80")).toEqual({ host: "0.0.0.0", port: 80 })
    expect(parseListen("host-1.example:80")).toEqual({ host: "host-1.example", port: 80 })
  })
})
