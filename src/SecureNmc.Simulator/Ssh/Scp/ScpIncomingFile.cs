using SecureNmc.Core.Ssh.Scp;
using System;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.IO;

namespace SecureNmc.Simulator.Ssh.Scp
{
    /// <summary>
    /// The bytes of one file an SCP sender announced with a "C" record, read straight from the channel
    /// as the receiver asks for them (so the receiver's pace is the sender's, through the channel
    /// window). Ends after the announced length. The sender's end-of-file marker (one zero byte) is
    /// checked before the last bytes are handed over; a short file or a missing marker throws
    /// <see cref="ScpProtocolException"/> and marks the transfer <see cref="Broken"/>.
    /// </summary>
    internal sealed class ScpIncomingFile : ForwardReadStream
    {
        private readonly ScpServerHandler.StreamByteReader _input;
        private readonly long _length;
        private long _remaining;
        private bool _endMarkerChecked;

        public ScpIncomingFile(ScpServerHandler.StreamByteReader input, long length)
        {
            _input = input;
            _length = length;
            _remaining = length;
        }

        /// <summary>The sender ended the file short or without its marker, or the channel failed.</summary>
        public bool Broken => Truncated || InputFailure != null;

        public bool Truncated { get; private set; }

        /// <summary>The channel read that failed (connection lost, timed out), if one did.</summary>
        public Exception? InputFailure { get; private set; }

        public override long Length => _length;
        public override long Position { get => _length - _remaining; set => throw new NotSupportedException(); }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (buffer == null) throw new ArgumentNullException(nameof(buffer));
            if (offset < 0 || count < 0 || offset + count > buffer.Length) throw new ArgumentOutOfRangeException(nameof(count));
            ThrowIfBroken();
            if (_remaining == 0)
            {
                await ExpectEndMarkerAsync(cancellationToken).ConfigureAwait(false);
                return 0;
            }
            if (count == 0) return 0;
            int n = await Guard(_input.ReadSomeAsync(buffer, offset, (int)Math.Min(count, _remaining), cancellationToken)).ConfigureAwait(false);
            if (n == 0)
            {
                Truncated = true;
                throw new ScpProtocolException(string.Format(CultureInfo.InvariantCulture,
                    "The sender ended the file after {0} of the {1} bytes it announced.", _length - _remaining, _length), null, true);
            }
            _remaining -= n;
            if (_remaining == 0) await ExpectEndMarkerAsync(cancellationToken).ConfigureAwait(false);
            return n;
        }

        /// <summary>Reads the zero byte that ends the file (once); throws when it is not there.</summary>
        public async Task ExpectEndMarkerAsync(CancellationToken cancellationToken)
        {
            ThrowIfBroken();
            if (_endMarkerChecked) return;
            int marker = await Guard(_input.ReadByteAsync(cancellationToken)).ConfigureAwait(false);
            _endMarkerChecked = true;
            if (marker != 0)
            {
                Truncated = true;
                throw new ScpProtocolException("The sender did not end the file with the SCP end-of-file marker.", null, true);
            }
        }

        /// <summary>The whole file in memory (for receivers that want bytes).</summary>
        public async Task<byte[]> ReadAllAsync(CancellationToken cancellationToken)
        {
            var content = new MemoryStream((int)Math.Min(_length, 1 << 20));
            await CopyToAsync(content, 64 * 1024, cancellationToken).ConfigureAwait(false);
            return content.ToArray();
        }

        /// <summary>
        /// Skips what the receiver left unread and checks the end marker, so the next record starts in
        /// step. False when the sender ended the file short or without its marker.
        /// </summary>
        public async Task<bool> FinishAsync(CancellationToken cancellationToken)
        {
            if (Broken) return false;
            if (_remaining > 0)
            {
                bool complete = await Guard(_input.SkipAsync(_remaining, cancellationToken)).ConfigureAwait(false);
                if (!complete)
                {
                    Truncated = true;
                    return false;
                }
                _remaining = 0;
            }
            try
            {
                await ExpectEndMarkerAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (ScpProtocolException)
            {
                return false;
            }
        }

        private async Task<T> Guard<T>(Task<T> read)
        {
            try
            {
                return await read.ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                InputFailure ??= ex;
                throw;
            }
        }

        private void ThrowIfBroken()
        {
            if (InputFailure != null) throw new IOException("The SCP channel failed earlier in this transfer.", InputFailure);
            if (Truncated) throw new ScpProtocolException("The sender broke off the file transfer.", null, true);
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
    }
}
