using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Ssh.Client;
using SecureNmc.Core.Ssh.Connection;
using SecureNmc.Core.Ssh.Transport;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Ssh.Scp
{
    /// <summary>
    /// The client side of classic SCP over an exec channel, the way cards expect it:
    /// "scp -q -t &lt;name&gt;" to send, "scp -f &lt;name&gt;" to fetch, the name unquoted.
    /// Status bytes: 0 = ok, 1 = warning + text line, 2 = fatal + text line.
    /// </summary>
    public static class ScpClientOperations
    {
        private const int ChunkSize = 32 * 1024;

        /// <summary>Sends <paramref name="length"/> bytes of <paramref name="source"/> as <paramref name="remoteName"/>; failures are <see cref="FileTransferException"/>s.</summary>
        public static async Task UploadAsync(SshClient client, string remoteName, Stream source, long length, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
        {
            try
            {
                await UploadCoreAsync(client, remoteName, source, length, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                var mapped = SshFailures.DuringOperation(ex, client.Host, $"upload '{remoteName}'");
                if (ReferenceEquals(mapped, ex)) throw;
                throw mapped;
            }
        }

        /// <summary>Fetches <paramref name="remoteName"/> into <paramref name="destination"/>; failures are <see cref="FileTransferException"/>s.</summary>
        public static async Task DownloadAsync(SshClient client, string remoteName, Stream destination, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
        {
            try
            {
                await DownloadCoreAsync(client, remoteName, destination, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                var mapped = SshFailures.DuringOperation(ex, client.Host, $"download '{remoteName}'");
                if (ReferenceEquals(mapped, ex)) throw;
                throw mapped;
            }
        }

        private static async Task UploadCoreAsync(SshClient client, string remoteName, Stream source, long length, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
        {
            ScpNames.Validate(remoteName);
            if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), "The upload length must not be negative.");
            var timeout = client.OperationTimeout;
            var channel = await client.OpenExecAsync("scp -q -t " + remoteName, cancellationToken).ConfigureAwait(false);
            bool completed = false;
            try
            {
                var reader = new ScpChannelReader(channel, timeout);
                await ExpectOkAsync(reader, channel, "starting the upload", cancellationToken).ConfigureAwait(false);

                var header = string.Format(CultureInfo.InvariantCulture, "C0644 {0} {1}\n", length, ScpNames.BaseName(remoteName));
                await WriteAsync(channel, Encoding.UTF8.GetBytes(header), timeout, cancellationToken).ConfigureAwait(false);
                await ExpectOkAsync(reader, channel, "announcing the file", cancellationToken).ConfigureAwait(false);

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
                    await channel.WriteAsync(buffer, 0, n, timeout, cancellationToken).ConfigureAwait(false);
                    sent += n;
                    progress?.Report(new TransferProgress(sent, length));
                }
                await WriteAsync(channel, new byte[] { 0 }, timeout, cancellationToken).ConfigureAwait(false);
                await ExpectOkAsync(reader, channel, "finishing the upload", cancellationToken).ConfigureAwait(false);
                await channel.SendEofAsync(cancellationToken).ConfigureAwait(false);
                await FinishAsync(channel, timeout, cancellationToken).ConfigureAwait(false);
                completed = true;
            }
            finally
            {
                if (!completed) await client.SafeCloseAsync(channel).ConfigureAwait(false);
            }
        }

        private static async Task DownloadCoreAsync(SshClient client, string remoteName, Stream destination, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
        {
            ScpNames.Validate(remoteName);
            var timeout = client.OperationTimeout;
            var channel = await client.OpenExecAsync("scp -f " + remoteName, cancellationToken).ConfigureAwait(false);
            bool completed = false;
            try
            {
                var reader = new ScpChannelReader(channel, timeout);
                await WriteAsync(channel, new byte[] { 0 }, timeout, cancellationToken).ConfigureAwait(false);
                while (true)
                {
                    int kind = await reader.ReadByteAsync(cancellationToken).ConfigureAwait(false);
                    if (kind < 0) throw await EndedEarlyAsync(channel, "before sending the file", timeout).ConfigureAwait(false);
                    if (kind == 1 || kind == 2) throw await PeerErrorAsync(reader, kind, cancellationToken).ConfigureAwait(false);
                    var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? "";
                    if (kind == 'T')
                    {
                        await WriteAsync(channel, new byte[] { 0 }, timeout, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    if (kind == 'D')
                        throw new ScpProtocolException($"'{remoteName}' is a folder on the card; give a file name.", null, true);
                    if (kind != 'C')
                        throw new ScpProtocolException($"The card sent an unexpected SCP record ('{(char)kind}').", null, true);

                    long size = ParseFileRecord(line);
                    await WriteAsync(channel, new byte[] { 0 }, timeout, cancellationToken).ConfigureAwait(false);
                    progress?.Report(new TransferProgress(0, size));
                    bool complete = await reader.CopyToAsync(destination, size, done => progress?.Report(new TransferProgress(done, size)), cancellationToken).ConfigureAwait(false);
                    if (!complete) throw await EndedEarlyAsync(channel, "in the middle of the file", timeout).ConfigureAwait(false);
                    await ExpectOkAsync(reader, channel, "finishing the download", cancellationToken).ConfigureAwait(false);
                    await WriteAsync(channel, new byte[] { 0 }, timeout, cancellationToken).ConfigureAwait(false);
                    break;
                }
                await channel.SendEofAsync(cancellationToken).ConfigureAwait(false);
                await FinishAsync(channel, timeout, cancellationToken).ConfigureAwait(false);
                completed = true;
            }
            finally
            {
                if (!completed) await client.SafeCloseAsync(channel).ConfigureAwait(false);
            }
        }

        /// <summary>"C&lt;mode&gt; &lt;size&gt; &lt;name&gt;" (the 'C' already read) to the size, bounded.</summary>
        private static long ParseFileRecord(string line)
        {
            var parts = line.Split(new[] { ' ' }, 3);
            if (parts.Length < 3 || parts[0].Length != 4 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long size) || size < 0 || size > (1L << 40))
                throw new ScpProtocolException($"The card sent a malformed SCP file record ('C{SshTransport.Printable(line)}').", null, true);
            return size;
        }

        private static Task WriteAsync(SshChannel channel, byte[] data, TimeSpan timeout, CancellationToken cancellationToken) =>
            channel.WriteAsync(data, 0, data.Length, timeout, cancellationToken);

        private static async Task ExpectOkAsync(ScpChannelReader reader, SshChannel channel, string step, CancellationToken cancellationToken)
        {
            int status = await reader.ReadByteAsync(cancellationToken).ConfigureAwait(false);
            if (status == 0) return;
            if (status < 0) throw await EndedEarlyAsync(channel, step, TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            if (status == 1 || status == 2) throw await PeerErrorAsync(reader, status, cancellationToken).ConfigureAwait(false);
            // Some servers print a message without a status byte: treat the line as the error.
            var rest = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            var text = ((char)status + (rest ?? "")).Trim();
            throw new ScpProtocolException($"The card answered '{SshTransport.Printable(text)}' while {step}.", text, true);
        }

        private static async Task<ScpProtocolException> PeerErrorAsync(ScpChannelReader reader, int status, CancellationToken cancellationToken)
        {
            var text = (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? "").Trim();
            return new ScpProtocolException($"The card reported {(status == 2 ? "a fatal error" : "an error")}: {SshTransport.Printable(text)}", text, status == 2);
        }

        private static async Task<ScpProtocolException> EndedEarlyAsync(SshChannel channel, string step, TimeSpan timeout)
        {
            try
            {
                await SshTimeouts.WithTimeout(channel.Closed, timeout, "waiting for the channel to close", CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Whatever we have is what we report.
            }
            var stderr = channel.StandardError.Trim();
            return new ScpProtocolException(
                $"The card ended the SCP transfer {step}{(channel.ExitStatus.HasValue ? $" (exit status {channel.ExitStatus})" : "")}{(stderr.Length > 0 ? ": " + SshTransport.Printable(stderr) : ".")}",
                stderr.Length > 0 ? stderr : null, true);
        }

        /// <summary>Waits for the remote scp to exit and close the channel; a non-zero exit is a failure.</summary>
        private static async Task FinishAsync(SshChannel channel, TimeSpan timeout, CancellationToken cancellationToken)
        {
            // The card acknowledged the file already; a card that never closes the channel must not
            // turn that success into a timeout, so the wait for its exit status is short.
            var wait = timeout < TimeSpan.FromSeconds(10) ? timeout : TimeSpan.FromSeconds(10);
            try
            {
                await SshTimeouts.WithTimeout(channel.Closed, wait, "waiting for scp on the card to finish", cancellationToken).ConfigureAwait(false);
            }
            catch (SshTimeoutException)
            {
                await channel.SendCloseAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            await channel.CloseAsync(timeout, cancellationToken).ConfigureAwait(false);
            if (channel.ExitStatus.HasValue && channel.ExitStatus.Value != 0)
            {
                var stderr = channel.StandardError.Trim();
                throw new ScpProtocolException($"scp on the card exited with status {channel.ExitStatus}{(stderr.Length > 0 ? ": " + SshTransport.Printable(stderr) : ".")}", stderr.Length > 0 ? stderr : null, true);
            }
        }
    }
}
