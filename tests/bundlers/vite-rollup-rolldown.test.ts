import { describeBuild } from './helpers/suite.js'

describeBuild('vite')
describeBuild('rollup')
describeBuild('rolldown')
