// jQuery 4 imported as a module (its ESM build).
import $ from 'jquery'
import { ajaxCalls } from './lib/jquery-ajax.js'
import { scenario } from './lib/transcript.js'

scenario(() => ajaxCalls($, 'jquery-module'))
