// With the Sentry browser SDK: the SDK records the pageload and, through the
// plugin's `sentry` option (see trace-options.ts), the requests the build
// rewrote, as `http.client` spans whose ids go out in the trace headers. The
// SDK's own fetch/XHR instrumentation is off, so nothing patches `fetch` or
// `XMLHttpRequest`. (Without a bundler plugin, call `connectSentry` from
// `unplugin-sentry-trace/runtime/sentry` yourself.)
import { breadcrumbsIntegration, browserApiErrorsIntegration, browserTracingIntegration, init } from '@sentry/browser'
import { run } from './requests.js'

init({
  // The example's backend renders the DSN (a local fake ingest) into the page.
  dsn: document.querySelector('meta[name="example-sentry-dsn"]')?.getAttribute('content') ?? undefined,
  tracesSampleRate: 1,
  // Spans are streamed by default (SDK v11); `?lifecycle=static` sends classic transactions.
  traceLifecycle: new URLSearchParams(location.search).get('lifecycle') === 'static' ? 'static' : 'stream',
  integrations: [
    // The build traces fetch, XHR and axios: the SDK must not add headers too.
    browserTracingIntegration({ traceFetch: false, traceXHR: false }),
    // Fetch/XHR breadcrumbs would wrap `fetch` and `XMLHttpRequest` again.
    breadcrumbsIntegration({ fetch: false, xhr: false }),
    // Its wrapper of XMLHttpRequest.prototype.send only catches errors thrown in XHR callbacks.
    browserApiErrorsIntegration({ XMLHttpRequest: false }),
  ],
})

void run()
