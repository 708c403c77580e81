import { precacheAndRoute } from 'workbox-precaching'

precacheAndRoute(self.__WB_MANIFEST)
self.addEventListener('install', () => {
  fetch('/api/installed')
})
