using System;
using System.IO;

namespace SecureNmc.Core.IO
{
    /// <summary>
    /// Base of the streams that are read once, front to back, and never sought or written (the bundle
    /// reader's, an SCP or FTP upload as it arrives, a card's view of an upload). Subclasses only say
    /// how bytes are produced, and may report a length or position they know.
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
