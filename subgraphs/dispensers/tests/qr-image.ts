/**
 * Reads QR codes back the way a phone would: the SVG's modules are rasterized into pixels
 * and decoded with jsQR, so the test proves the SVG itself (not some other rendering)
 * carries the payload.
 */
import jsQR from "jsqr";
import { PNG } from "pngjs";

/** Dark modules of an SVG from `qrcode`: rows of `h` runs along `y + 0.5` (stroke width 1). */
export function svgModules(svg: string): { size: number; dark: Set<string> } {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  const path = /<path[^>]*stroke="[^"]*"[^>]*d="([^"]+)"/.exec(svg)?.[1];
  if (!size || !path) throw new Error("not a qrcode SVG");
  const dark = new Set<string>();
  let x = 0;
  let y = 0;
  for (const [, command, args] of path.matchAll(/([MmHh])([^MmHh]*)/g)) {
    const numbers = args!
      .trim()
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    if (command === "M") [x, y] = [numbers[0]!, numbers[1]!];
    else if (command === "m") [x, y] = [x + numbers[0]!, y + numbers[1]!];
    else {
      const length = command === "h" ? numbers[0]! : numbers[0]! - x;
      for (let i = 0; i < length; i++) dark.add(`${x + i},${Math.floor(y)}`);
      x += length;
    }
  }
  return { size, dark };
}

export function decodeSvg(svg: string, scale = 6): string | null {
  const { size, dark } = svgModules(svg);
  const width = size * scale;
  const pixels = new Uint8ClampedArray(width * width * 4);
  for (let py = 0; py < width; py++) {
    for (let px = 0; px < width; px++) {
      const value = dark.has(`${Math.floor(px / scale)},${Math.floor(py / scale)}`) ? 0 : 255;
      pixels.set([value, value, value, 255], (py * width + px) * 4);
    }
  }
  return jsQR(pixels, width, width)?.data ?? null;
}

export function decodePng(buffer: Buffer): string | null {
  const png = PNG.sync.read(buffer);
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}
