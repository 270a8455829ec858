// The messages between the page, the sandbox frame and its run worker (see docs/sandbox.md).
// page -> frame (MessagePort): SandboxRequest to start a run, { kind: 'stop', id } to end one.
// worker -> frame: a JSON string of a SandboxReply; frame -> page: FrameMessage. Nothing the page
// receives is trusted: it is parsed and validated by src/site/run-view-schema.ts.
import type { RunView } from '../run-view';

export interface SandboxRequest { id: number; code: string; versions: string[] }

export type SandboxReply =
  | { id: number; kind: 'progress'; syscalls: number }
  | { id: number; kind: 'ok'; views: Record<string, RunView>; engineMs: number; syscalls: number }
  | { id: number; kind: 'compile'; message: string; line?: number; column?: number }
  | { id: number; kind: 'crash'; message: string };

export type PageMessage = ({ kind: 'run' } & SandboxRequest) | { kind: 'stop'; id: number };

/** What the frame relays: the worker's reply as it came (a string), or what went wrong with the worker. */
export type FrameMessage =
  | { kind: 'ready' }
  | { id: number; kind: 'reply'; text: string }
  | { id: number; kind: 'failed'; message: string };

/** The frame relays replies up to this size; a larger one ends the run (a forged or runaway reply). */
export const REPLY_MAX_CHARS = 48 * 1024 * 1024;
/** The handshake word the page sends with the frame's MessagePort. */
export const HANDSHAKE = 'mergeable-sandbox-v1';
