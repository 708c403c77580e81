// jQuery's UMD build (dist/jquery.js, the classic script), bundled by path: its factory gets `window` as a parameter.
import $ from '../../../node_modules/jquery/dist/jquery.js'
import { ajaxCalls } from './lib/jquery-ajax.js'
import { scenario } from './lib/transcript.js'

scenario(() => ajaxCalls($, 'jquery-umd'))
