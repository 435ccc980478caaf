// Correlation: see docs/ARCHITECTURE.md
