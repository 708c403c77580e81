// A sloppy-mode CommonJS script (`.cjs`) bundled into the app: it must keep script semantics.
import { scenario } from './lib/transcript.js'
import run from './lib/sloppy-script.cjs'

scenario(() => run())
