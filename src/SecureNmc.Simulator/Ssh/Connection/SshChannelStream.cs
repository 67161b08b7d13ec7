using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace SecureNmc.Simulator.Ssh.Connection
{
    /// <summary>A channel's data (or standard error, for writing) as a Stream, with a hard timeout per call.</summary>
    public sealed class SshChannelStream : Stream
    {
        private readonly SshChannel _channel;
        private readonly TimeSpan _timeout;
        private readonly uint _extendedDataType;

        public SshChannelStream(SshChannel channel, TimeSpan timeout, uint extendedDataType = 0)
        {
            _channel = channel;
            _timeout = timeout;
            _extendedDataType = extendedDataType;
        }

        public override bool CanRead => _extendedDataType == 0;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (!CanRead) throw new NotSupportedException("Standard error is write-only.");
            return _channel.ReadAsync(buffer, offset, count, _timeout, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _channel.WriteAsync(buffer, offset, count, _timeout, _extendedDataType, cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
