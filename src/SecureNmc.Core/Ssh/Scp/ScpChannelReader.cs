using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Ssh.Connection;

namespace SecureNmc.Core.Ssh.Scp
{
    /// <summary>Buffered reads of SCP's byte-and-line protocol from a channel, each with a hard timeout.</summary>
    internal sealed class ScpChannelReader
    {
        private const int MaxLine = 4096;
        private readonly SshChannel _channel;
        private readonly TimeSpan _timeout;
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public ScpChannelReader(SshChannel channel, TimeSpan timeout)
        {
            _channel = channel;
            _timeout = timeout;
        }

        /// <summary>Next byte, or -1 at end of data.</summary>
        public async Task<int> ReadByteAsync(CancellationToken cancellationToken)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false)) return -1;
            return _buffer[_start++];
        }

        /// <summary>A line up to LF (excluded), or null at end of data.</summary>
        public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new MemoryStream();
            while (true)
            {
                int b = await ReadByteAsync(cancellationToken).ConfigureAwait(false);
                if (b < 0) return line.Length == 0 ? null : Encoding.UTF8.GetString(line.ToArray());
                if (b == '\n') return Encoding.UTF8.GetString(line.ToArray());
                if (line.Length >= MaxLine) throw new InvalidDataException($"SCP protocol line longer than {MaxLine} bytes.");
                line.WriteByte((byte)b);
            }
        }

        /// <summary>Copies exactly <paramref name="count"/> bytes to <paramref name="destination"/>; false if data ended early.</summary>
        public async Task<bool> CopyToAsync(Stream destination, long count, Action<long>? progress, CancellationToken cancellationToken)
        {
            long done = 0;
            while (done < count)
            {
                if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false)) return false;
                int n = (int)Math.Min(count - done, _end - _start);
                await destination.WriteAsync(_buffer, _start, n, cancellationToken).ConfigureAwait(false);
                _start += n;
                done += n;
                progress?.Invoke(done);
            }
            return true;
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            _start = 0;
            _end = await _channel.ReadAsync(_buffer, 0, _buffer.Length, _timeout, cancellationToken).ConfigureAwait(false);
            return _end > 0;
        }
    }
}
