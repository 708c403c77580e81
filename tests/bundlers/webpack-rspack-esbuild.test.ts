import { describeBuild } from './helpers/suite.js'

describeBuild('webpack')
describeBuild('rspack')
describeBuild('esbuild')
