// Share links: "#run=<scenario id>&v=<version>&code=<deflate-raw + base64url of the code>".
// Code that arrives in a link is shown, never run, until the reader presses Run.
export interface SharedScenario { id: string; version: string; code: string }

function b64url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function unb64url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}
async function pipe(bytes: Uint8Array, t: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(t as unknown as TransformStream<Uint8Array, Uint8Array>);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function encodeShare(s: SharedScenario): Promise<string> {
  const packed = await pipe(new TextEncoder().encode(s.code), new CompressionStream('deflate-raw'));
  const p = new URLSearchParams({ run: s.id, v: s.version, code: b64url(packed) });
  return '#' + p.toString();
}

/** Parse a location hash; null if it is not a share link. Throws a readable error if damaged. */
export async function decodeShare(hash: string): Promise<SharedScenario | null> {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const id = p.get('run'), code = p.get('code');
  if (!id || code === null) return null;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await pipe(unb64url(code), new DecompressionStream('deflate-raw')));
  } catch {
    throw new Error('This share link is damaged (its code could not be decoded). The original scenario is shown instead.');
  }
  return { id, version: p.get('v') ?? '', code: text };
}
