/**
 * Headless Chromium through playwright-core: the system's if there is one, else the
 * one the `@sparticuz/chromium` package ships (nothing is downloaded).
 */

import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser']

const DROPPED_ARGS = new Set(['--disable-web-security', '--single-process'])

/**
 * @param hosts host name -> port on 127.0.0.1, resolved by the browser alone (a
 *   request to `http://api.test/` goes to `127.0.0.1:port`, with `api.test` as its origin)
 */
export async function launchBrowser(hosts: Record<string, number>): Promise<Browser> {
  const rules = Object.entries(hosts)
    .map(([host, port]) => `MAP ${host} 127.0.0.1:${port}`)
    .join(', ')
  const args = [`--host-resolver-rules=${rules}`]
  const system = SYSTEM_CHROMIUM.find((path) => existsSync(path))
  if (system) return chromium.launch({ executablePath: system, args, timeout: 30_000 })
  const { default: packaged } = await import('@sparticuz/chromium')
  return chromium.launch({
    executablePath: await packaged.executablePath(),
    // Its defaults are for serverless hosts: --disable-web-security would turn CORS (and
    // preflights) off, and --single-process takes the browser down with its first closed context.
    args: [...packaged.args.filter((arg) => !DROPPED_ARGS.has(arg)), ...args],
    headless: true,
    timeout: 30_000,
  })
}
