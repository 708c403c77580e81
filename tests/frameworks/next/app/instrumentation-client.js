// Runs in the browser before the app's own code: the plugin makes it read the page's meta tags first.
