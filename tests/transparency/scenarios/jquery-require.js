// jQuery through `require('jquery')`, as a CommonJS dependency of the app loads it.
import { ajaxCalls } from './lib/jquery-ajax.js'
import $ from './lib/jquery-require.cjs'
import { scenario } from './lib/transcript.js'

scenario(() => ajaxCalls($, 'jquery-require'))
