fetch('/api/page')
