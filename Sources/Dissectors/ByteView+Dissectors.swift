@_exported import CaptureFiles
