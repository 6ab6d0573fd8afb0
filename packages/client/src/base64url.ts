/**
 * base64url to text, for the two places the client peeks inside a server string (a JWT's
 * claims, an event cursor). Written out because React Native has no Buffer and older
 * engines no atob; ASCII payloads only (both are JSON or ASCII).
 */
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const values = new Map([...alphabet].map((char, index) => [char, index]));

/** Null when `input` is not base64url. */
export function decodeBase64Url(input: string): string | null {
  const text = input.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  let bits = 0;
  let buffer = 0;
  let output = "";
  for (const char of text) {
    const value = values.get(char);
    if (value === undefined) return null;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      output += String.fromCharCode((buffer >> bits) & 0xff);
    }
  }
  return output;
}
