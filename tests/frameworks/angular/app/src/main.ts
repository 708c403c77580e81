/**
 * One page whose HttpClient makes the requests the test checks, in order, and
 * then shows their statuses in `#done`. The query string picks the setup, so one
 * build serves every case: `?backend=xhr` adds `withXhr()` (XMLHttpRequest),
 * `?backend=fetch` adds `withFetch()` (Angular 22's default backend, here
 * named), no `backend` adds neither; `?interceptor=0` leaves the interceptor out.
 */
import { HttpClient, HttpErrorResponse, HttpHeaders, provideHttpClient, withFetch, withInterceptors, withXhr } from '@angular/common/http'
import { Component, inject, provideZonelessChangeDetection, signal } from '@angular/core'
import { bootstrapApplication } from '@angular/platform-browser'
import { firstValueFrom } from 'rxjs'
import { provideSentryTrace, sentryTraceInterceptor } from 'unplugin-sentry-trace/angular'

const query = new URLSearchParams(location.search)
const backend = query.get('backend')
const features = backend === 'xhr' ? [withXhr()] : backend === 'fetch' ? [withFetch()] : []
const interceptors = query.get('interceptor') === '0' ? [] : [sentryTraceInterceptor]

/** A `sentry-trace` the app sets itself: it must reach the server as it is, alone. */
export const OWN_SENTRY_TRACE = '0123456789abcdef0123456789abcdef-0123456789abcdef-1'

@Component({
  selector: 'app-root',
  template: `<p id="done">{{ done() }}</p>`,
})
class App {
  private readonly http = inject(HttpClient)
  readonly done = signal('pending')

  constructor() {
    this.run().then(
      (statuses) => this.done.set(statuses.join(',')),
      (error: unknown) => this.done.set(`failed: ${String(error)}`),
    )
  }

  private async run(): Promise<Array<number | string>> {
    const statuses: Array<number | string> = []
    const status = async (request: Promise<unknown>) => {
      try {
        await request
        statuses.push(200)
      } catch (error) {
        statuses.push(error instanceof HttpErrorResponse ? error.status : String(error))
      }
    }
    await status(firstValueFrom(this.http.get('/api/get', { params: { page: '1' } })))
    await status(firstValueFrom(this.http.post('/api/post', { name: 'x' })))
    await status(firstValueFrom(this.http.get('/other/get')))
    await status(firstValueFrom(this.http.get('/api/own', { headers: new HttpHeaders({ 'sentry-trace': OWN_SENTRY_TRACE }) })))
    // Not HttpClient: a fetch of the app's own, which only a bundler plugin can trace.
    await status(fetch('/api/fetch').then((response) => (response.ok ? response : Promise.reject(response.status))))
    await status(firstValueFrom(this.http.get('/api/error')))
    // A client-side navigation starts a new trace, as the Sentry SDK does.
    history.pushState({}, '', '/next')
    await status(firstValueFrom(this.http.get('/api/after-navigation')))
    return statuses
  }
}

bootstrapApplication(App, {
  providers: [
    provideZonelessChangeDetection(),
    provideSentryTrace({ tracePropagationTargets: [/^\/api\//] }),
    provideHttpClient(...features, withInterceptors(interceptors)),
  ],
}).catch((error: unknown) => console.error(error))
