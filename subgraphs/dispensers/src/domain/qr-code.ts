import { randomBytes } from "node:crypto";
import QRCode from "qrcode";

/**
 * Cabinet labels. The QR code carries a random token (the dispensers.qr_token column), never
 * the dispenser id: ids travel in every API response, while the token is only printed on the
 * cabinet, so holding it means having been at the cabinet, and rotating it revokes a copied
 * or stolen label.
 */
const PREFIX = "asky:dispenser:";
const tokenPattern = /^[A-Za-z0-9_-]{22,128}$/;

/** What a Dispenser.qrCode resolves from; the SVG is rendered only when asked for. */
export interface QrCodeSource {
  payload: string;
}

/** 256 random bits, base64url (43 characters). */
export const newQrToken = (): string => randomBytes(32).toString("base64url");

export const qrPayload = (token: string): string => `${PREFIX}${token}`;

/** The token of a well-formed payload, or null; scanners may add surrounding whitespace. */
export function qrTokenOf(payload: string): string | null {
  const trimmed = payload.trim();
  if (!trimmed.startsWith(PREFIX)) return null;
  const token = trimmed.slice(PREFIX.length);
  return tokenPattern.test(token) ? token : null;
}

/** Error correction M survives a scuffed label; the quiet zone of 4 modules is what scanners expect. */
export const qrOptions = { errorCorrectionLevel: "M", margin: 4 } as const;

export function qrSvg(payload: string): Promise<string> {
  return QRCode.toString(payload, { ...qrOptions, type: "svg" });
}
