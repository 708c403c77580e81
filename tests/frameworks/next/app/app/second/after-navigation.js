'use client'
import { useEffect, useState } from 'react'

export default function AfterNavigation() {
  const [status, setStatus] = useState('pending')
  useEffect(() => {
    fetch('/api/after-navigation').then((response) => setStatus(String(response.status)))
  }, [])
  return <p id="after">{status}</p>
}
