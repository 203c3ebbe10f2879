/** The X API v2 endpoints MuskTracker calls; these names key rate limits, logs and errors. */
export const ENDPOINTS = {
  userByUsername: "GET /2/users/by/username/:username",
  userTweets: "GET /2/users/:id/tweets",
  searchRecent: "GET /2/tweets/search/recent",
  countsRecent: "GET /2/tweets/counts/recent",
  streamRules: "GET /2/tweets/search/stream/rules",
  streamRulesChange: "POST /2/tweets/search/stream/rules",
  stream: "GET /2/tweets/search/stream"
} as const

export type Endpoint = (typeof ENDPOINTS)[keyof typeof ENDPOINTS]
