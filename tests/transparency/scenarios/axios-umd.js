// axios's UMD build (dist/axios.js), bundled by path.
import { axiosCalls } from './lib/axios-calls.js'
import axios from './lib/axios-umd.cjs'
import { scenario } from './lib/transcript.js'

scenario(() => axiosCalls(axios, 'axios-umd'))
