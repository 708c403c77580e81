import { unplugin } from './core.js'

export type { PluginOptions } from './options.js'

export default unplugin.esbuild
