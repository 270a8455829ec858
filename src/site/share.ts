// Share links: "#run=<scenario id>&v=<version>[&c=<compare version>]&code=<deflate-raw + base64url of the code>".
// c= names the second column's kernel; an empty c= says compare was off; no c (links made before
// it existed) leaves the playground's own setting.
// Code that arrives in a link is shown, never run, until the reader presses Run. A link is a
// stranger's input: its size is capped before decoding, and inflating stops at CODE_MAX_BYTES
// (a few KB of deflate can inflate to gigabytes).

export interface SharedScenario {
  id: string;
  version: string;
  code: string;
  /** The compare column's kernel; "" for compare off; undefined when the link does not say. */
  compare?: string;
}

/** Largest scenario a link carries, decoded. The chapters' longest is under 8 KB. */
export const CODE_MAX_BYTES = 256 * 1024;
/** Largest link hash accepted, in characters (deflate rarely expands; base64 adds a third). */
export const HASH_MAX_CHARS = 512 * 1024;

function b64url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function unb64url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate-raw') as unknown as TransformStream<Uint8Array, Uint8Array>);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export class ShareTooLarge extends Error {}

/** Inflate chunk by chunk and stop (cancelling the stream) as soon as the output passes `max` bytes. */
export async function inflateCapped(bytes: Uint8Array, max: number): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart]).stream()
    .pipeThrough(new DecompressionStream('deflate-raw') as unknown as TransformStream<Uint8Array, Uint8Array>).getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) { await reader.cancel().catch(() => undefined); throw new ShareTooLarge(); }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

const kb = (n: number) => `${Math.round(n / 1024)} KB`;

export async function encodeShare(s: SharedScenario): Promise<string> {
  const bytes = new TextEncoder().encode(s.code);
  if (bytes.length > CODE_MAX_BYTES) throw new Error(`This code is ${kb(bytes.length)}; a share link carries at most ${kb(CODE_MAX_BYTES)}. Shorten it, or share it as a file.`);
  const p = new URLSearchParams({ run: s.id, v: s.version });
  if (s.compare !== undefined) p.set('c', s.compare);
  p.set('code', b64url(await deflate(bytes)));
  return '#' + p.toString();
}

/** Parse a location hash; null if it is not a share link. Throws a readable error if damaged or too large. */
export async function decodeShare(hash: string): Promise<SharedScenario | null> {
  if (!/(?:^#?|&)run=/.test(hash.slice(0, 4096))) return null;
  if (hash.length > HASH_MAX_CHARS) {
    throw new Error(`This share link is ${kb(hash.length)} long, more than the ${kb(HASH_MAX_CHARS)} a link may be: it was not decoded. The original scenario is shown instead.`);
  }
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const id = p.get('run'), code = p.get('code');
  if (!id || code === null) return null;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await inflateCapped(unb64url(code), CODE_MAX_BYTES));
  } catch (e) {
    if (e instanceof ShareTooLarge) throw new Error(`This share link's code is larger than ${kb(CODE_MAX_BYTES)} once decoded, so it was not loaded. The original scenario is shown instead.`);
    throw new Error('This share link is damaged (its code could not be decoded). The original scenario is shown instead.');
  }
  const compare = p.get('c');
  return { id: id.slice(0, 200), version: (p.get('v') ?? '').slice(0, 40), code: text,
    ...(compare === null ? {} : { compare: compare.slice(0, 40) }) };
}
