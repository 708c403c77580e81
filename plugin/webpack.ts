import { checkedEntry, unplugin } from './core.js'

export type { PluginOptions } from './options.js'

export default checkedEntry(unplugin.webpack)
