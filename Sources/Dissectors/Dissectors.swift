// Dissectors: see docs/ARCHITECTURE.md
