// LiveCapture: see docs/ARCHITECTURE.md
import CaptureFiles
