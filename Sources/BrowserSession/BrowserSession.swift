// BrowserSession: see docs/ARCHITECTURE.md
