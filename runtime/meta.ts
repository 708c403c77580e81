// unplugin-sentry-trace runtime: never rewritten
/**
 * Imported first thing in the app entry, so the server's meta tags are read on
 * pageload before any client-side navigation could replace them.
 */

import { pickUpMetaTags } from './context.js'

pickUpMetaTags()
