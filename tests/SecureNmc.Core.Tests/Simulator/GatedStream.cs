using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace SecureNmc.Core.Tests.Simulator
{
    /// <summary>
    /// A source that hands over its bytes up to <c>gateAt</c>, then blocks until <see cref="Release"/>:
    /// a sender that is still busy. Records the largest buffer a reader offered (a reader that buffers
    /// the whole file reads into one array the size of the file).
    /// </summary>
    internal sealed class GatedStream : Stream
    {
        private readonly byte[] _data;
        private readonly int _gateAt;
        private readonly TaskCompletionSource<bool> _gate = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<bool> _blocked = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _position;

        public GatedStream(byte[] data, int gateAt)
        {
            _data = data;
            _gateAt = gateAt;
        }

        /// <summary>Completes when a reader has taken everything before the gate and waits at it.</summary>
        public Task Blocked => _blocked.Task;

        public int LargestReadBuffer { get; private set; }

        public void Release() => _gate.TrySetResult(true);

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            LargestReadBuffer = Math.Max(LargestReadBuffer, buffer.Length);
            if (_position == _gateAt && !_gate.Task.IsCompleted)
            {
                _blocked.TrySetResult(true);
                using (cancellationToken.Register(() => _gate.TrySetCanceled()))
                    await _gate.Task.ConfigureAwait(false);
            }
            int limit = _position < _gateAt ? _gateAt : _data.Length;
            int n = Math.Min(count, limit - _position);
            Buffer.BlockCopy(_data, _position, buffer, offset, n);
            Volatile.Write(ref _position, _position + n);
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => _data.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
