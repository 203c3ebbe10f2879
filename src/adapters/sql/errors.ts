/** Turning driver errors into the one-line reasons SqlError and EventStoreError carry. */

/** A single line describing `cause`: message (or code) of the error and of any nested errors, no stack. */
export const oneLine = (cause: unknown): string => {
  const parts: string[] = []
  const visit = (e: unknown, depth: number): void => {
    if (depth > 3 || e === undefined || e === null) return
    if (e instanceof AggregateError && e.errors.length > 0) {
      if (e.message) parts.push(e.message)
      // Node reports a refused connection to every resolved address as an AggregateError with an empty message.
      visit(e.errors[0], depth + 1)
      return
    }
    if (e instanceof Error) {
      const code = (e as { code?: unknown }).code
      const msg = e.message || (typeof code === "string" ? code : e.name)
      // Node's system codes (ECONNREFUSED) help; PostgreSQL's SQLSTATEs (42P01) only add noise to a message.
      const useful = typeof code === "string" && !/^[0-9A-Z]{5}$/.test(code) && !msg.includes(code)
      parts.push(useful ? `${msg} (${code})` : msg)
      if (e.cause !== undefined && e.cause !== e) visit(e.cause, depth + 1)
      return
    }
    parts.push(String(e))
  }
  visit(cause, 0)
  const text = parts.filter((p) => p.length > 0).join(": ") || "unknown error"
  return text.replace(/\s*\n\s*/g, " ").trim()
}
