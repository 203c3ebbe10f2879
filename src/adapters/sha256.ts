/** SHA-256 hex of a string's UTF-8 bytes: Node's one-shot hash (equal to src/domain/hash.ts's sha256Hex, and faster). */
import { hash } from "node:crypto"

export const nodeSha256 = (text: string): string => hash("sha256", text, "hex")
