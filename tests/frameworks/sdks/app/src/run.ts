import { makeRequests } from './requests'

/** Starts the requests; the test reads the outcomes from `window.outcomes`. */
export function run(): void {
  ;(window as unknown as { outcomes: Promise<unknown> }).outcomes = makeRequests().catch((error: Error) => ({ error: error.message }))
}
