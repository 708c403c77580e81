// unplugin-sentry-trace runtime: never rewritten
/**
 * Angular's `HttpClient`, through its own extension point: a functional HTTP
 * interceptor (`provideHttpClient(withInterceptors([sentryTraceInterceptor]))`).
 * Angular's default application builder runs no plugin over the app's files, so
 * the interceptor is how `HttpClient` requests get trace headers there; it goes
 * through the same `startTrace` as the rewritten transports (one URL rule, one
 * trace context, the caller's own `sentry-trace` kept).
 *
 * Nothing of Angular or RxJS is imported: the types below are the parts of
 * `HttpRequest`, `HttpHandlerFn` and `Observable` used here, so the package needs
 * neither and Angular's own types fit them.
 */

import { configure, pickUpMetaTags, startTrace, type EndRequest, type RuntimeConfig } from './context.js'
import type { HeaderBag } from './headers.js'

/** The part of Angular's `HttpHeaders` read here (names are case-insensitive there). */
export interface InterceptedHeaders {
  has(name: string): boolean
  getAll(name: string): string[] | null
}

/** The part of Angular's `HttpRequest` used here. */
export interface InterceptedRequest<Self> {
  /** The URL with the query string `params` add: what the request is sent to. */
  readonly urlWithParams: string
  readonly method: string
  readonly headers: InterceptedHeaders
  clone(update: { setHeaders?: { [name: string]: string } }): Self
}

/** The part of an RxJS subscriber and subscription used here. */
interface Observer {
  next(value: unknown): void
  error(error: unknown): void
  complete(): void
}

/** The part of RxJS's `Observable` used here: what the next handler returns. */
export interface InterceptedResponse {
  subscribe(observer: Observer): { unsubscribe(): void }
  pipe(...operators: never[]): unknown
}

/** `HttpEventType.Response`: the event that carries the final status. */
const RESPONSE_EVENT = 4

/**
 * An Angular functional interceptor (`HttpInterceptorFn`). A request whose URL
 * matches `tracePropagationTargets` (see {@link provideSentryTrace}) and that
 * has no `sentry-trace` of its own goes on as a copy with `sentry-trace` and
 * `baggage` (and `traceparent` when configured) added; every other request goes
 * on untouched.
 *
 * With `connectSentry` (`unplugin-sentry-trace/runtime/sentry`) the headers come
 * from the Sentry SDK, and its `http.client` span ends with the response status.
 */
export function sentryTraceInterceptor<Request extends InterceptedRequest<Request>, Response extends InterceptedResponse>(
  req: Request,
  next: (req: Request) => Response,
): Response {
  const setHeaders: { [name: string]: string } = {}
  const end = startTrace(
    { url: req.urlWithParams, method: String(req.method).toUpperCase(), transport: 'http-client' },
    (): HeaderBag => {
      const get = (name: string) => setHeaders[name] ?? (req.headers.has(name) ? (req.headers.getAll(name) ?? []).join(', ') : undefined)
      return {
        get,
        // `setHeaders` replaces a header: it gets what the caller had and ours after it.
        append: (name, value) => {
          const previous = get(name)
          setHeaders[name] = previous == null ? value : previous + ', ' + value
        },
      }
    },
  )
  if (!end) return next(req)
  let sent: Response
  try {
    sent = next(req.clone({ setHeaders }))
  } catch (error) {
    if (typeof end === 'function') end({ error })
    throw error
  }
  return typeof end === 'function' ? endOnSettle(sent, end) : sent
}

/**
 * `response` with the request ended when it settles: on the response's status
 * (an error response has one too), else on the error or when unsubscribed before
 * either. A new Observable of the class that defines `pipe` (RxJS's own
 * `Observable`), so what comes after this interceptor gets an Observable as usual.
 */
function endOnSettle<Response extends InterceptedResponse>(response: Response, end: EndRequest): Response {
  let proto: object | null = response
  while (proto && !Object.prototype.hasOwnProperty.call(proto, 'pipe')) proto = Object.getPrototypeOf(proto)
  const Observable = proto && (proto as { constructor?: { prototype?: unknown } }).constructor
  // The class whose prototype defines `pipe` (not an object that has one of its own).
  if (typeof Observable !== 'function' || Observable.prototype !== proto) {
    // Not an RxJS Observable: nothing to watch; the span must not stay open.
    end({ error: new TypeError('the next handler returned no Observable') })
    return response
  }
  let ended = false
  const once: EndRequest = (outcome) => {
    if (!ended) {
      ended = true
      end(outcome)
    }
  }
  return new (Observable as new (subscribe: (observer: Observer) => () => void) => Response)((observer) => {
    const subscription = response.subscribe({
      next(event) {
        const { type, status } = (event ?? {}) as { type?: number; status?: number }
        if (type === RESPONSE_EVENT && typeof status === 'number') once({ status })
        observer.next(event)
      },
      error(error) {
        const status = (error as { status?: unknown } | null)?.status
        // Angular's network failure is an HttpErrorResponse with status 0.
        once(typeof status === 'number' && status > 0 ? { status } : { error })
        observer.error(error)
      },
      complete() {
        once({ error: new Error('completed without a response') })
        observer.complete()
      },
    })
    return () => {
      once({ error: new Error('cancelled') })
      subscription.unsubscribe()
    }
  })
}

/** What {@link provideSentryTrace} takes: the runtime's options (the bundler plugins' options of the same names). */
export interface SentryTraceOptions {
  /**
   * Which requests get `sentry-trace` and `baggage`, with the Sentry browser SDK's
   * semantics (strings match anywhere in the URL, RegExps are tested on the URL and
   * on the path of same-origin URLs, case ignored).
   * @default undefined (same origin only)
   */
  tracePropagationTargets?: Array<string | RegExp>
  /**
   * Also send W3C `traceparent` (one more header cross-origin servers must allow in CORS).
   * @default false
   */
  propagateTraceparent?: boolean
}

const OPTION_NAMES = ['tracePropagationTargets', 'propagateTraceparent']

/**
 * Configure the runtime for an app no bundler plugin configures (Angular's
 * application builder) and read the page's `sentry-trace` / `baggage` meta tags
 * now, before the router can navigate. Call it in the app's providers; it
 * configures when called and gives Angular no provider (an empty list), so it
 * needs nothing from Angular. Throws a `TypeError` naming the option on bad options.
 */
export function provideSentryTrace(options: SentryTraceOptions = {}): never[] {
  const config: RuntimeConfig = {}
  if (options === null || typeof options !== 'object' || Array.isArray(options)) fail(`options must be an object, got ${describe(options)}`)
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) fail(`unknown option \`${key}\` (known options: ${OPTION_NAMES.join(', ')})`)
  }
  const { tracePropagationTargets: targets, propagateTraceparent } = options
  if (targets !== undefined) {
    if (!Array.isArray(targets)) fail(`\`tracePropagationTargets\` must be an array of strings or RegExps, got ${describe(targets)}`)
    targets.forEach((target, index) => {
      if (typeof target !== 'string' && !(target instanceof RegExp)) fail(`\`tracePropagationTargets[${index}]\` must be a string or a RegExp, got ${describe(target)}`)
    })
    config.tracePropagationTargets = targets.slice()
  }
  if (propagateTraceparent !== undefined && typeof propagateTraceparent !== 'boolean') fail(`\`propagateTraceparent\` must be a boolean, got ${describe(propagateTraceparent)}`)
  config.propagateTraceparent = propagateTraceparent
  configure(config)
  pickUpMetaTags()
  return []
}

function fail(message: string): never {
  throw new TypeError(`[unplugin-sentry-trace] provideSentryTrace: ${message}`)
}

function describe(value: unknown): string {
  if (value === null || value === undefined || typeof value === 'function' || Array.isArray(value)) {
    return value == null ? String(value) : Array.isArray(value) ? 'an array' : 'a function'
  }
  return typeof value === 'object' ? (value instanceof RegExp ? `the RegExp ${value}` : 'an object') : `${typeof value} ${JSON.stringify(value) ?? String(value)}`
}
