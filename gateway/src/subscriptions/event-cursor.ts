/**
 * Cursors are opaque to clients; inside they are the JetStream stream sequence of an event.
 * Every subscription field reads the same stream, so a cursor is a position in it that any
 * field can resume from: the field's replay reads its own events after that position. Cursors
 * handed out before subscription fields shared the feed keep their meaning.
 */
export function encodeEventCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`, "utf8").toString("base64url");
}

export function decodeEventCursor(cursor: string): number | null {
  const match = /^seq:(\d{1,15})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return match ? Number(match[1]) : null;
}
