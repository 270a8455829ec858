// The engine's .d.ts files for the in-page editor (fetched only when the reader opens it).
import type { APIRoute } from 'astro';
import { engineDeclarations } from '../site/engine-dts';

export const GET: APIRoute = () => new Response(JSON.stringify({ files: engineDeclarations() }), { headers: { 'content-type': 'application/json' } });
