import { unplugin } from './core.js'

export type { Options } from './options.js'

export default unplugin.rspack
