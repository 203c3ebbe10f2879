export * from "./kind"
export * from "./observe"
export * from "./reach"
export * from "./tweet-id"
