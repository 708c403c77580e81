// axios imported by name (its browser ES module build).
import axios from 'axios'
import { axiosCalls } from './lib/axios-calls.js'
import { scenario } from './lib/transcript.js'

scenario(() => axiosCalls(axios, 'axios-module'))
