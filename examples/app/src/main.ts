// Standalone: no Sentry SDK in the page. The build makes this entry import the
// trace runtime first, which continues the trace from the backend's meta tags.
import { run } from './requests.js'

void run()
