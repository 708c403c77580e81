/** Messages between the example backend (a child process) and whoever started it. */

export interface ReceivedRequest {
  /** Which of the backend's servers got it. */
  server: 'app' | 'api'
  method: string
  /** Path and query as sent. */
  url: string
  /** Lowercase names. */
  headers: Record<string, string | string[] | undefined>
}

export type BackendMessage =
  | { type: 'ready'; app: string; api: string }
  | ({ type: 'request' } & ReceivedRequest)
  | { type: 'flushed' }

export type ParentMessage = { type: 'flush' }

/** `?meta=` values that make the page server render a broken `sentry-trace` meta tag. */
export const TAMPERED_META = ['uppercase', 'length', 'crlf', 'huge'] as const
export type TamperedMeta = (typeof TAMPERED_META)[number]
