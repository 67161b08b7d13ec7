using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Ftp;
using SecureNmc.Core.Ssh.Scp;

namespace SecureNmc.Core.Transport.Scp
{
    /// <summary>
    /// The client side of classic SCP over an exec channel, the way cards expect it:
    /// "scp -q -t &lt;name&gt;" to send, "scp -f &lt;name&gt;" to fetch, the name unquoted (validated by
    /// <see cref="ScpNames"/> so it needs no quoting). Status bytes: 0 = ok, 1 = warning + text line,
    /// 2 = fatal + text line. Replies wait at most the reply limit; data sent waits at most the stall limit.
    /// </summary>
    internal sealed class ScpExchange
    {
        // Every card uploading at once holds one chunk buffer: at 256 KiB a thousand cards held a quarter
        // of a gigabyte. 32 KiB is one SSH packet; the writes are made on the session's own thread (see
        // SessionThread), so more of them cost no thread starts.
        private const int ChunkSize = 32 * 1024;
        // What the card sends back: during an upload only status bytes and short lines, so a small buffer;
        // a download reads the file through it.
        private const int UploadReplyBuffer = 4 * 1024;
        private const int DownloadBuffer = 32 * 1024;
        private const int MaxLine = 4096;
        private readonly SshNetExecChannel _channel;
        private readonly TimeSpan _replyLimit;
        private readonly TimeSpan _stallLimit;
        private readonly byte[] _buffer;
        private int _start;
        private int _end;

        private ScpExchange(SshNetExecChannel channel, TimeSpan replyLimit, TimeSpan stallLimit, int bufferSize)
        {
            _buffer = new byte[bufferSize];
            _channel = channel;
            _replyLimit = replyLimit;
            _stallLimit = stallLimit;
        }

        public static string UploadCommand(string remoteName) => "scp -q -t " + remoteName;
        public static string DownloadCommand(string remoteName) => "scp -f " + remoteName;

        public static async Task UploadAsync(Renci.SshNet.SshClient connection, SessionThread calls, string remoteName, Stream source, long length,
            IProgress<TransferProgress>? progress, TimeSpan replyLimit, TimeSpan stallLimit, CancellationToken cancellationToken)
        {
            ScpNames.Validate(remoteName);
            if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), "The upload length must not be negative.");
            using var channel = await SshNetExecChannel.StartAsync(connection, calls, UploadCommand(remoteName), replyLimit, cancellationToken).ConfigureAwait(false);
            var scp = new ScpExchange(channel, replyLimit, stallLimit, UploadReplyBuffer);
            await scp.ExpectOkAsync("starting the upload", cancellationToken).ConfigureAwait(false);
            var header = Encoding.UTF8.GetBytes($"C0644 {length.ToString(CultureInfo.InvariantCulture)} {ScpNames.BaseName(remoteName)}\n");
            await channel.WriteAsync(header, 0, header.Length, replyLimit, cancellationToken).ConfigureAwait(false);
            await scp.ExpectOkAsync("announcing the file", cancellationToken).ConfigureAwait(false);

            var buffer = new byte[ChunkSize];
            long sent = 0;
            progress?.Report(new TransferProgress(0, length));
            while (sent < length)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int want = (int)Math.Min(buffer.Length, length - sent);
                int n = await source.ReadAsync(buffer, 0, want, cancellationToken).ConfigureAwait(false);
                if (n <= 0)
                    throw new ArgumentException($"The source stream ended after {sent} of the {length} bytes announced for '{remoteName}'.", nameof(source));
                try
                {
                    await channel.WriteAsync(buffer, 0, n, stallLimit, cancellationToken).ConfigureAwait(false);
                }
                catch (StepTimeoutException)
                {
                    throw new ScpStallException(sent, length);
                }
                sent += n;
                progress?.Report(new TransferProgress(sent, length));
            }
            await channel.WriteAsync(new byte[] { 0 }, 0, 1, replyLimit, cancellationToken).ConfigureAwait(false);
            await scp.ExpectOkAsync("finishing the upload", cancellationToken).ConfigureAwait(false);
            await channel.SendEofAsync(replyLimit, cancellationToken).ConfigureAwait(false);
            await scp.FinishAsync(cancellationToken).ConfigureAwait(false);
        }

        public static async Task DownloadAsync(Renci.SshNet.SshClient connection, SessionThread calls, string remoteName, Stream destination,
            IProgress<TransferProgress>? progress, TimeSpan replyLimit, CancellationToken cancellationToken)
        {
            ScpNames.Validate(remoteName);
            using var channel = await SshNetExecChannel.StartAsync(connection, calls, DownloadCommand(remoteName), replyLimit, cancellationToken).ConfigureAwait(false);
            var scp = new ScpExchange(channel, replyLimit, replyLimit, DownloadBuffer);
            await scp.SendOkAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                int kind = await scp.ReadByteAsync(cancellationToken).ConfigureAwait(false);
                if (kind < 0) throw await scp.EndedEarlyAsync("before sending the file").ConfigureAwait(false);
                if (kind == 1 || kind == 2) throw await scp.PeerErrorAsync(kind, cancellationToken).ConfigureAwait(false);
                var line = await scp.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? "";
                if (kind == 'T')
                {
                    await scp.SendOkAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (kind == 'D') throw new ScpProtocolException($"'{remoteName}' is a folder on the card; give a file name.", null, true);
                if (kind != 'C') throw new ScpProtocolException($"The card sent an unexpected SCP record ('{(char)kind}').", null, true);

                long size = ParseFileRecord(line);
                await scp.SendOkAsync(cancellationToken).ConfigureAwait(false);
                progress?.Report(new TransferProgress(0, size));
                bool complete = await scp.CopyToAsync(destination, size, done => progress?.Report(new TransferProgress(done, size)), cancellationToken).ConfigureAwait(false);
                if (!complete) throw await scp.EndedEarlyAsync("in the middle of the file").ConfigureAwait(false);
                await scp.ExpectOkAsync("finishing the download", cancellationToken).ConfigureAwait(false);
                await scp.SendOkAsync(cancellationToken).ConfigureAwait(false);
                break;
            }
            // scp -f exits once the file is acknowledged; EOF only for a card whose scp waits for it
            // (sent after the channel closed it would be a protocol error, see SendEofAsync).
            if (!await channel.WaitForExitAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false))
                await channel.SendEofAsync(replyLimit, cancellationToken).ConfigureAwait(false);
            await scp.FinishAsync(cancellationToken).ConfigureAwait(false);
        }

        /// <summary>"C&lt;mode&gt; &lt;size&gt; &lt;name&gt;" (the 'C' already read) to the size, bounded.</summary>
        internal static long ParseFileRecord(string line)
        {
            var parts = line.Split(new[] { ' ' }, 3);
            if (parts.Length < 3 || parts[0].Length != 4 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long size) || size < 0 || size > (1L << 40))
                throw new ScpProtocolException($"The card sent a malformed SCP file record ('C{SshNetLogin.Printable(line)}').", null, true);
            return size;
        }

        private Task SendOkAsync(CancellationToken cancellationToken) => _channel.WriteAsync(new byte[] { 0 }, 0, 1, _replyLimit, cancellationToken);

        private async Task ExpectOkAsync(string step, CancellationToken cancellationToken)
        {
            int status = await ReadByteAsync(cancellationToken).ConfigureAwait(false);
            if (status == 0) return;
            if (status < 0) throw await EndedEarlyAsync(step).ConfigureAwait(false);
            if (status == 1 || status == 2) throw await PeerErrorAsync(status, cancellationToken).ConfigureAwait(false);
            // Some servers print a message without a status byte: treat the line as the error.
            var rest = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            var text = ((char)status + (rest ?? "")).Trim();
            throw new ScpProtocolException($"The card answered '{SshNetLogin.Printable(text)}' while {step}.", text, true);
        }

        private async Task<ScpProtocolException> PeerErrorAsync(int status, CancellationToken cancellationToken)
        {
            var text = (await ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? "").Trim();
            return new ScpProtocolException($"The card reported {(status == 2 ? "a fatal error" : "an error")}: {SshNetLogin.Printable(text)}", text, status == 2);
        }

        /// <summary>The failure for data that ended early: a dropped connection, or scp on the card stopping.</summary>
        private async Task<Exception> EndedEarlyAsync(string step)
        {
            try
            {
                await _channel.WaitForExitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Whatever we have is what we report.
            }
            var stderr = _channel.StandardError.Trim();
            var exit = _channel.ExitStatus;
            // A card that drops the link mid-transfer ends the channel without an exit status; say it as
            // the connection ending, whichever of the socket or the channel noticed first.
            if (!exit.HasValue && stderr.Length == 0)
            {
                // The socket's end may reach SSH.NET a moment after the channel's: give it that moment.
                for (int i = 0; i < 20 && _channel.ConnectionAlive; i++) await Task.Delay(50).ConfigureAwait(false);
                if (!_channel.ConnectionAlive) return new IOException($"the card closed the connection {step}");
            }
            return new ScpProtocolException(
                $"The card ended the SCP transfer {step}{(exit.HasValue ? $" (exit status {exit})" : "")}{(stderr.Length > 0 ? ": " + SshNetLogin.Printable(stderr) : ".")}",
                stderr.Length > 0 ? stderr : null, true);
        }

        /// <summary>Waits for the remote scp to exit; a non-zero exit is a failure.</summary>
        private async Task FinishAsync(CancellationToken cancellationToken)
        {
            // The card acknowledged the file already; a card that never closes the channel must not
            // turn that success into a timeout, so the wait for its exit status is short.
            var wait = _replyLimit < TimeSpan.FromSeconds(10) ? _replyLimit : TimeSpan.FromSeconds(10);
            if (!await _channel.WaitForExitAsync(wait, cancellationToken).ConfigureAwait(false)) return;
            var exit = _channel.ExitStatus;
            if (exit.HasValue && exit.Value != 0)
            {
                var stderr = _channel.StandardError.Trim();
                throw new ScpProtocolException($"scp on the card exited with status {exit}{(stderr.Length > 0 ? ": " + SshNetLogin.Printable(stderr) : ".")}", stderr.Length > 0 ? stderr : null, true);
            }
        }

        private async Task<int> ReadByteAsync(CancellationToken cancellationToken)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false)) return -1;
            return _buffer[_start++];
        }

        private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new MemoryStream();
            while (true)
            {
                int b = await ReadByteAsync(cancellationToken).ConfigureAwait(false);
                if (b < 0) return line.Length == 0 ? null : Encoding.UTF8.GetString(line.ToArray());
                if (b == '\n') return Encoding.UTF8.GetString(line.ToArray());
                if (line.Length >= MaxLine) throw new ScpProtocolException($"The card sent an SCP protocol line longer than {MaxLine} bytes.", null, true);
                line.WriteByte((byte)b);
            }
        }

        private async Task<bool> CopyToAsync(Stream destination, long count, Action<long> progress, CancellationToken cancellationToken)
        {
            long done = 0;
            while (done < count)
            {
                if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false)) return false;
                int n = (int)Math.Min(count - done, _end - _start);
                await destination.WriteAsync(_buffer, _start, n, cancellationToken).ConfigureAwait(false);
                _start += n;
                done += n;
                progress(done);
            }
            return true;
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            _start = 0;
            _end = await _channel.ReadAsync(_buffer, 0, _buffer.Length, _replyLimit, cancellationToken).ConfigureAwait(false);
            return _end > 0;
        }
    }
}
