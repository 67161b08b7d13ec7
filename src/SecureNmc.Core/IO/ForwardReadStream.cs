using System;
using System.IO;

namespace SecureNmc.Core.Bundles
{
    /// <summary>
    /// Base of the bundle reader's streams: read once, front to back, never seek or write. Subclasses
    /// only say how bytes are produced.
    /// </summary>
    internal abstract class ForwardReadStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
