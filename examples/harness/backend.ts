/**
 * Starts the example backend (`examples/server/main.ts`) as a child process, with
 * @sentry/node initialised by `--import` before the servers load, and collects what
 * it reports.
 */

import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { BackendMessage, ParentMessage, ReceivedRequest } from '../server/protocol.js'

export interface Backend {
  /** The page server, e.g. `http://127.0.0.1:40123`. */
  app: string
  /** The second-origin API as served (the browser reaches it as `http://api.test`). */
  api: string
  apiPort: number
  /** Every request either server received, in arrival order; clear with `requests.length = 0`. */
  requests: ReceivedRequest[]
  /** Lines the process wrote to stderr. */
  stderr: string[]
  /** Have @sentry/node send what it holds. */
  flush(): Promise<void>
  close(): Promise<void>
}

const SERVER = fileURLToPath(new URL('../server/main.ts', import.meta.url))
const INSTRUMENT = fileURLToPath(new URL('../server/instrument.ts', import.meta.url))
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

export async function startBackend(options: { dist: string; dsn: string; timeoutMs?: number }): Promise<Backend> {
  const child: ChildProcess = fork(SERVER, [], {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx', '--import', INSTRUMENT],
    env: { ...process.env, EXAMPLE_DIST: options.dist, SENTRY_DSN: options.dsn },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  })
  const requests: ReceivedRequest[] = []
  const stderr: string[] = []
  const flushes: Array<() => void> = []
  child.stderr?.setEncoding('utf8').on('data', (text: string) => stderr.push(text))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  const ready = new Promise<{ app: string; api: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the example backend did not start within ${options.timeoutMs ?? 20_000} ms\n${stderr.join('')}`)), options.timeoutMs ?? 20_000)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the example backend exited (${code}) before it was ready\n${stderr.join('')}`))
    })
    child.on('message', (message: BackendMessage) => {
      if (message.type === 'ready') {
        clearTimeout(timer)
        resolve(message)
      } else if (message.type === 'request') {
        const { type: _type, ...request } = message
        requests.push(request)
      } else if (message.type === 'flushed') {
        flushes.shift()?.()
      }
    })
  })
  let origins: { app: string; api: string }
  try {
    origins = await ready
  } catch (error) {
    child.kill()
    throw error
  }

  return {
    ...origins,
    apiPort: Number(new URL(origins.api).port),
    requests,
    stderr,
    flush: () =>
      new Promise<void>((resolve) => {
        flushes.push(resolve)
        child.send({ type: 'flush' } satisfies ParentMessage)
      }),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return
      // Disconnecting lets it flush and exit; a kill after a while in case it hangs.
      child.disconnect()
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    },
  }
}
