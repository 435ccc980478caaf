@_exported import CaptureFiles

extension ByteView: ByteViewLike {}
