using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace SecureNmc.Transport.Tests.Ssh
{
    /// <summary>
    /// A peer that plays back fixed bytes and swallows whatever is written. At the end of the script it
    /// either reports end of stream or goes silent forever (to prove read timeouts).
    /// </summary>
    internal sealed class ScriptedStream : Stream
    {
        private readonly byte[] _script;
        private readonly bool _hangAtEnd;
        private int _position;
        private readonly CancellationTokenSource _disposed = new CancellationTokenSource();

        public ScriptedStream(byte[] script, bool hangAtEnd = false)
        {
            _script = script;
            _hangAtEnd = hangAtEnd;
        }

        public MemoryStream Written { get; } = new MemoryStream();

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (_position >= _script.Length)
            {
                if (!_hangAtEnd) return 0;
                using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
                await Task.Delay(Timeout.Infinite, both.Token);
            }
            int n = Math.Min(count, _script.Length - _position);
            Buffer.BlockCopy(_script, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            lock (Written) Written.Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _disposed.Cancel();
            base.Dispose(disposing);
        }
    }

    /// <summary>Wraps a stream and keeps a copy of every byte read from it.</summary>
    internal sealed class RecordingStream : Stream
    {
        private readonly Stream _inner;
        public RecordingStream(Stream inner) => _inner = inner;
        public MemoryStream Captured { get; } = new MemoryStream();

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            int n = await _inner.ReadAsync(buffer, offset, count, cancellationToken);
            lock (Captured) Captured.Write(buffer, offset, n);
            return n;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _inner.WriteAsync(buffer, offset, count, cancellationToken);
        public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
        public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => _inner.Flush();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
