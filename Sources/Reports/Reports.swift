// Reports: see docs/ARCHITECTURE.md
