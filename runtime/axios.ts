// unplugin-sentry-trace runtime: never rewritten
/**
 * Trace headers for axios through its own interceptors, registered on the instance
 * the app uses. Nothing of axios is imported: the app brings it.
 */

import { startTrace, trackers, type EndRequest } from './context.js'
import { headerBag } from './headers.js'

interface AxiosConfig {
  url?: string
  baseURL?: string
  allowAbsoluteUrls?: boolean
  method?: string
  headers?: unknown
  transformRequest?: unknown
  [END]?: EndRequest | boolean
}

/** What axios settles a request with: its response, or the error it rejects with. */
export interface AxiosOutcome {
  config?: AxiosConfig
  status?: number
  response?: { status?: number }
}

interface AxiosLike {
  getUri?(config: AxiosConfig): string
  interceptors: {
    request: { use(onFulfilled: (config: AxiosConfig) => AxiosConfig, onRejected?: null, options?: { synchronous: boolean }): unknown }
    response: { use(onFulfilled: (response: AxiosOutcome) => AxiosOutcome, onRejected: (error: unknown) => never): unknown }
  }
}

// What `startTrace` returned for the request, under a symbol that rides along when
// axios (or a user interceptor) copies the config, and comes back on
// `response.config` / `error.config` (./source.ts ends the request there when it is a function).
export const END = Symbol()

const instances = /* @__PURE__ */ new WeakSet<object>()

// axios's own isAbsoluteURL: "scheme://" or protocol-relative "//".
const ABSOLUTE_URL = /^([a-z][a-z\d+\-.]*:)?\/\//i

/**
 * Register our interceptors on an axios instance (the default export or an
 * `axios.create()` result), once, and return it; anything else comes back as is.
 *
 * Where our request interceptor sits among the app's does not matter: axios runs
 * them last-registered-first by default (`transitional.legacyInterceptorReqResOrdering`),
 * first-registered-first without it, and an app may register its own before or
 * after ours. So ours only appends a transform that adds the headers to this request's
 * `transformRequest` (a new array: the instance's defaults stay as they were),
 * which axios calls after all interceptors (lib/core/dispatchRequest.js).
 */
export function traceAxios<T>(instance: T): T
export function traceAxios(axios: AxiosLike | undefined): unknown {
  if (typeof axios?.interceptors?.request?.use !== 'function' || instances.has(axios)) return axios
  instances.add(axios)
  axios.interceptors.request.use(
    (config) => {
      try {
        config.transformRequest = ([] as unknown[]).concat(
          config.transformRequest || [],
          // The URL and headers are final here. `this` is the config the adapter gets (and
          // `response.config` will be); older axios calls it without one: then the config seen now.
          function (this: AxiosConfig | undefined, data: unknown, headers: unknown) {
            const final = this || config
            // The URL axios will request: `baseURL` and `url` combined as axios does
            // (buildFullPath), then `params` through getUri (axios 0.x's getUri ignores baseURL).
            const base = final.baseURL
            let url = final.url || ''
            if (base && (final.allowAbsoluteUrls === false || !ABSOLUTE_URL.test(url))) url = url ? base.replace(/\/+$/, '') + '/' + url.replace(/^\/+/, '') : base
            try {
              url = axios.getUri?.({ ...final, url, baseURL: '' }) ?? url
            } catch {}
            final[END] = startTrace(
              { url, method: String(final.method || 'GET').toUpperCase(), transport: 'axios' },
              () => headerBag((headers || (final.headers ??= {})) as object),
            )
            return data
          },
        )
      } catch {
        // A config the app froze: the request goes out without trace headers.
      }
      return config
    },
    null,
    { synchronous: true },
  )
  axios.interceptors.response.use(
    (response) => {
      trackers?.axios(response)
      return response
    },
    (error: unknown) => {
      trackers?.axios(error as AxiosOutcome, true)
      throw error
    },
  )
  return axios
}
