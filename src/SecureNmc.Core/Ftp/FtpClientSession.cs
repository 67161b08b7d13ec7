using System;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Ftp
{
    /// <summary>
    /// A logged-in FTP session to one card (RFC 959 / RFC 2428): binary transfers of single files in the
    /// card's root, every step bounded by the options' timeouts. Not thread-safe: one transfer at a time.
    /// </summary>
    public sealed class FtpClientSession : IFileTransferSession
    {
        private readonly FtpControlChannel control;
        private readonly ConnectionOptions options;
        private readonly FtpSessionFlags flags = new FtpSessionFlags();
        private readonly string host;
        private readonly string user;
        private bool broken;
        private bool disposed;

        private FtpClientSession(FtpControlChannel control, ConnectionOptions options, string? banner)
        {
            this.control = control;
            this.options = options;
            host = control.Host;
            user = options.Credential?.UserName ?? "";
            Banner = banner;
        }

        public string? Banner { get; }

        /// <summary>Connects, reads the welcome, logs in and selects binary mode (TYPE I).</summary>
        public static async Task<FtpClientSession> OpenAsync(ConnectionOptions options, CancellationToken cancellationToken)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (string.IsNullOrWhiteSpace(options.Host)) throw new ArgumentException("ConnectionOptions.Host is empty: name the card to connect to.", nameof(options));
            string user = options.Credential?.UserName ?? "";
            string password = options.Credential?.Password ?? "";
            if (user.Length == 0) throw new ArgumentException($"{options.Host}: no FTP user name was given.", nameof(options));
            if (HasLineBreak(user) || HasLineBreak(password))
                throw new ArgumentException($"{options.Host}: the FTP user name or password contains a line break, which FTP cannot send.", nameof(options));

            options.Logger.LogWarning("{Host}: {Warning}", options.Host, FtpSecurityNotice.ClearTextPasswordWarning);
            int port = options.Port > 0 ? options.Port : 21;
            TimeSpan limit = options.ConnectTimeout;
            var control = await FtpControlChannel.ConnectAsync(options.Host, port, limit, options.Logger, cancellationToken).ConfigureAwait(false);
            try
            {
                string? banner = await LogInAsync(control, user, password, limit, cancellationToken).ConfigureAwait(false);
                var session = new FtpClientSession(control, options, banner);
                FtpReply type = await control.ExecuteAsync("TYPE I", options.OperationTimeout, cancellationToken).ConfigureAwait(false);
                if (!type.IsPositiveCompletion)
                    throw FtpErrors.FromReply(TransferFailureKind.ProtocolError, control.Host,
                        $"{control.Host}: the card refused binary transfer mode (TYPE I replied \"{type}\"); firmware cannot be sent safely.", type);
                options.Logger.LogInformation("{Host}: FTP session open as {User}", control.Host, user);
                return session;
            }
            catch
            {
                control.Dispose();
                throw;
            }
        }

        private static async Task<string?> LogInAsync(FtpControlChannel control, string user, string password, TimeSpan limit, CancellationToken cancellationToken)
        {
            string host = control.Host;
            FtpReply greeting = await control.ReadReplyAsync("waiting for the FTP welcome", limit, cancellationToken).ConfigureAwait(false);
            if (greeting.Code == 120)  // "service ready in nnn minutes": wait once for the real welcome
                greeting = await control.ReadReplyAsync("waiting for the FTP welcome after 120", limit, cancellationToken).ConfigureAwait(false);
            if (greeting.Code == 421)
                throw FtpErrors.LoginRefused(host, user, greeting, TransferFailureKind.CannotConnect);
            if (greeting.Code != 220)
                throw FtpErrors.Unexpected(host, "waiting for the FTP welcome", greeting);
            string banner = greeting.Text;

            FtpReply reply = await control.ExecuteAsync("USER " + user, limit, cancellationToken).ConfigureAwait(false);
            if (reply.Code == 331)
                reply = await control.ExecuteAsync("PASS " + password, limit, cancellationToken).ConfigureAwait(false);

            switch (reply.Code)
            {
                case 230:
                case 202:
                    return reply.Text.Length == 0 ? banner : banner + Environment.NewLine + reply.Text;
                case 530:
                    throw FtpErrors.LoginRefused(host, user, reply, TransferFailureKind.BadCredentials);
                case 421:
                    throw FtpErrors.LoginRefused(host, user, reply, TransferFailureKind.CannotConnect);
                case 332:
                    throw FtpErrors.FromReply(TransferFailureKind.BadCredentials, host,
                        $"{host}: the card asks for an FTP account (ACCT) in addition to user '{user}' and password; NMC cards never do, so check that this is the right device.", reply);
                default:
                    if (reply.IsTransientNegative || reply.IsPermanentNegative)
                        throw FtpErrors.LoginRefused(host, user, reply, TransferFailureKind.BadCredentials);
                    throw FtpErrors.Unexpected(host, "logging in", reply);
            }
        }

        /// <summary>The size the card reports for a file (SIZE, RFC 3659), or -1 when it does not say.</summary>
        public async Task<long> GetSizeAsync(string remoteName, CancellationToken cancellationToken)
        {
            EnsureUsable();
            ValidateRemoteName(remoteName);
            FtpReply reply = await Guard(() => control.ExecuteAsync("SIZE " + remoteName, options.OperationTimeout, cancellationToken)).ConfigureAwait(false);
            if (reply.Code == 213 && long.TryParse(reply.Text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long size))
                return size;
            if (reply.IsPreliminary || reply.IsIntermediate)
                throw MarkBroken(FtpErrors.Unexpected(host, "asking for the size of " + remoteName, reply));
            return -1;
        }

        public async Task DownloadAsync(string remoteName, Stream destination, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
        {
            if (destination == null) throw new ArgumentNullException(nameof(destination));
            EnsureUsable();
            ValidateRemoteName(remoteName);
            long expected = await GetSizeAsync(remoteName, cancellationToken).ConfigureAwait(false);

            await Guard(async () =>
            {
                using (FtpDataChannel data = await OpenDataChannelAsync(cancellationToken).ConfigureAwait(false))
                {
                    FtpReply start = await control.ExecuteAsync("RETR " + remoteName, options.OperationTimeout, cancellationToken).ConfigureAwait(false);
                    if (!start.IsPreliminary)
                        throw RetrRefused(remoteName, start);

                    long received = 0;
                    progress?.Report(new TransferProgress(0, expected));
                    Socket dataSocket = await data.GetSocketAsync(start.ToString(), options.OperationTimeout, cancellationToken).ConfigureAwait(false);
                    using (var stream = new NetworkStream(dataSocket, ownsSocket: true))
                    {
                        var buffer = new byte[FtpLimits.DataChunkSize];
                        while (true)
                        {
                            int read;
                            try
                            {
                                read = await StepDeadline.RunAsync(token => stream.ReadAsync(buffer, 0, buffer.Length, token), options.OperationTimeout, stream, cancellationToken).ConfigureAwait(false);
                            }
                            catch (StepTimeoutException)
                            {
                                if (received == 0) throw FtpErrors.DataConnectionNeverOpened(host, data.Mode, start.ToString(), options.OperationTimeout);
                                throw StalledMidTransfer("downloading " + remoteName, received, expected);
                            }
                            catch (Exception ex) when (ex is IOException || ex is SocketException || ex is ObjectDisposedException)
                            {
                                throw FtpErrors.ConnectionLost(host, $"downloading {remoteName} (after {received} bytes)", ex);
                            }
                            if (read == 0) break;
                            await WriteLocalAsync(destination, buffer, read, remoteName, cancellationToken).ConfigureAwait(false);
                            received += read;
                            progress?.Report(new TransferProgress(received, expected));
                        }
                    }

                    FtpReply done = await AwaitCompletionAsync(start, data.Mode, "downloading " + remoteName, cancellationToken).ConfigureAwait(false);
                    if (!done.IsPositiveCompletion)
                        throw FtpErrors.FromReply(TransferFailureKind.TransferFailed, host,
                            $"{host}: the download of '{remoteName}' failed after {received} bytes (the card replied \"{done}\").", done);
                    if (expected >= 0 && received != expected)
                        throw new FileTransferException(TransferFailureKind.TransferFailed, host,
                            $"{host}: the download of '{remoteName}' is incomplete: received {received} of {expected} bytes.");
                    options.Logger.LogInformation("{Host}: downloaded {Name} ({Bytes} bytes) over FTP", host, remoteName, received);
                }
            }).ConfigureAwait(false);
        }

        public async Task UploadAsync(string remoteName, Stream source, long length, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
        {
            if (source == null) throw new ArgumentNullException(nameof(source));
            if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), "The upload length must not be negative.");
            EnsureUsable();
            ValidateRemoteName(remoteName);

            await Guard(async () =>
            {
                using (FtpDataChannel data = await OpenDataChannelAsync(cancellationToken).ConfigureAwait(false))
                {
                    FtpReply start = await control.ExecuteAsync("STOR " + remoteName, options.OperationTimeout, cancellationToken).ConfigureAwait(false);
                    if (!start.IsPreliminary)
                        throw StorRefused(remoteName, start);

                    long sent = 0;
                    progress?.Report(new TransferProgress(0, length));
                    Socket dataSocket = await data.GetSocketAsync(start.ToString(), options.OperationTimeout, cancellationToken).ConfigureAwait(false);
                    using (var stream = new NetworkStream(dataSocket, ownsSocket: true))
                    {
                        var buffer = new byte[FtpLimits.DataChunkSize];
                        while (sent < length)
                        {
                            int want = (int)Math.Min(buffer.Length, length - sent);
                            int got = await ReadLocalAsync(source, buffer, want, remoteName, cancellationToken).ConfigureAwait(false);
                            if (got == 0)
                                throw new FileTransferException(TransferFailureKind.TransferFailed, host,
                                    $"{host}: the local source for '{remoteName}' ended after {sent} of {length} bytes; the upload was aborted so the card does not keep a truncated file.");
                            try
                            {
                                await StepDeadline.RunAsync(token => stream.WriteAsync(buffer, 0, got, token), options.OperationTimeout, stream, cancellationToken).ConfigureAwait(false);
                            }
                            catch (StepTimeoutException)
                            {
                                if (sent == 0) throw FtpErrors.DataConnectionNeverOpened(host, data.Mode, start.ToString(), options.OperationTimeout);
                                throw StalledMidTransfer("uploading " + remoteName, sent, length);
                            }
                            catch (Exception ex) when (ex is IOException || ex is SocketException || ex is ObjectDisposedException)
                            {
                                throw FtpErrors.ConnectionLost(host, $"uploading {remoteName} (after {sent} bytes)", ex);
                            }
                            sent += got;
                            progress?.Report(new TransferProgress(sent, length));
                        }
                        // End of file in stream mode is the close of the data connection (RFC 959 §3.4.1).
                        try { dataSocket.Shutdown(SocketShutdown.Send); } catch (SocketException) { }
                    }

                    FtpReply done = await AwaitCompletionAsync(start, data.Mode, "uploading " + remoteName, cancellationToken).ConfigureAwait(false);
                    if (!done.IsPositiveCompletion)
                        throw FtpErrors.FromReply(TransferFailureKind.TransferFailed, host,
                            $"{host}: the card did not accept the upload of '{remoteName}' (it replied \"{done}\" after {sent} bytes).", done);
                    options.Logger.LogInformation("{Host}: uploaded {Name} ({Bytes} bytes) over FTP", host, remoteName, sent);
                }
            }).ConfigureAwait(false);
        }

        public async Task CloseAsync(CancellationToken cancellationToken)
        {
            if (disposed) return;
            try
            {
                if (!broken)
                {
                    TimeSpan limit = options.OperationTimeout < TimeSpan.FromSeconds(10) ? options.OperationTimeout : TimeSpan.FromSeconds(10);
                    await control.ExecuteAsync("QUIT", limit, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (FileTransferException ex)
            {
                // The transfers are done; a card that hangs up without answering QUIT loses nothing.
                options.Logger.LogDebug("{Host}: QUIT was not answered cleanly: {Message}", host, ex.Message);
            }
            finally
            {
                Dispose();
            }
        }

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            control.Dispose();
        }

        private Task<FtpDataChannel> OpenDataChannelAsync(CancellationToken cancellationToken) =>
            options.Ftp.DataMode == FtpDataMode.Active
                ? FtpDataChannel.OpenActiveAsync(control, flags, options.OperationTimeout, cancellationToken)
                : FtpDataChannel.OpenPassiveAsync(control, flags, options.OperationTimeout, options.ConnectTimeout, cancellationToken);

        /// <summary>Waits for the 2xx (or failure) that closes a transfer; silence after 150 is the firewall symptom.</summary>
        private async Task<FtpReply> AwaitCompletionAsync(FtpReply start, FtpDataMode mode, string what, CancellationToken cancellationToken)
        {
            try
            {
                FtpReply done = await control.ReadReplyAsync("waiting for the card to confirm " + what, options.OperationTimeout, cancellationToken).ConfigureAwait(false);
                if (done.IsPreliminary || done.IsIntermediate) throw FtpErrors.Unexpected(host, what, done);
                return done;
            }
            catch (FileTransferException ex) when (ex.Kind == TransferFailureKind.TimedOut)
            {
                throw FtpErrors.DataConnectionNeverOpened(host, mode, start.ToString(), options.OperationTimeout);
            }
        }

        private FileTransferException RetrRefused(string remoteName, FtpReply reply)
        {
            if (reply.IsTransientNegative || reply.IsPermanentNegative)
            {
                var kind = reply.Code == 425 || reply.Code == 426 ? TransferFailureKind.TransferFailed
                         : FtpReplyMeaning.ClassifyRefusal(reply.Text, TransferFailureKind.TransferFailed);
                string advice = reply.Code == 425
                    ? " The card could not open the data connection: a firewall may block it; try the other FTP data mode."
                    : reply.Code == 550 ? " Check the file name (files live in the card's root) and that the user may read it." : "";
                return FtpErrors.FromReply(kind, host, $"{host}: the card refused to send '{remoteName}' (it replied \"{reply}\").{advice}", reply);
            }
            return FtpErrors.Unexpected(host, "starting the download of " + remoteName, reply);
        }

        private FileTransferException StorRefused(string remoteName, FtpReply reply)
        {
            if (reply.Code == 550 || reply.Code == 553 || reply.Code == 532)
            {
                var meaning = FtpReplyMeaning.ClassifyRefusal(reply.Text, TransferFailureKind.InsufficientRights);
                return meaning == TransferFailureKind.InsufficientRights
                    ? FtpErrors.StoreRefusedForRights(host, user, remoteName, reply)
                    : FtpErrors.FromReply(meaning, host, $"{host}: the card refused to store '{remoteName}' (it replied \"{reply}\").", reply);
            }
            if (reply.Code == 452 || reply.Code == 552)
                return FtpErrors.FromReply(TransferFailureKind.TransferFailed, host,
                    $"{host}: the card has no room for '{remoteName}' (it replied \"{reply}\").", reply);
            if (reply.IsTransientNegative || reply.IsPermanentNegative)
                return FtpErrors.FromReply(FtpReplyMeaning.ClassifyRefusal(reply.Text, TransferFailureKind.TransferFailed), host,
                    $"{host}: the card refused to store '{remoteName}' (it replied \"{reply}\").", reply);
            return FtpErrors.Unexpected(host, "starting the upload of " + remoteName, reply);
        }

        private FileTransferException StalledMidTransfer(string what, long done, long total) =>
            new FileTransferException(TransferFailureKind.TimedOut, host,
                $"{host}: the transfer stalled while {what}: no progress for {FtpErrors.Seconds(options.OperationTimeout)} after {done} of {(total >= 0 ? total.ToString(CultureInfo.InvariantCulture) : "?")} bytes. The card may be overloaded or the network dropping packets; try again.");

        private async Task WriteLocalAsync(Stream destination, byte[] buffer, int count, string remoteName, CancellationToken cancellationToken)
        {
            try { await destination.WriteAsync(buffer, 0, count, cancellationToken).ConfigureAwait(false); }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                throw new FileTransferException(TransferFailureKind.TransferFailed, host, $"{host}: writing the downloaded '{remoteName}' locally failed: {ex.Message}", ex);
            }
        }

        private async Task<int> ReadLocalAsync(Stream source, byte[] buffer, int count, string remoteName, CancellationToken cancellationToken)
        {
            try { return await source.ReadAsync(buffer, 0, count, cancellationToken).ConfigureAwait(false); }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                throw new FileTransferException(TransferFailureKind.TransferFailed, host, $"{host}: reading the local file to upload as '{remoteName}' failed: {ex.Message}", ex);
            }
        }

        /// <summary>Any failure inside a transfer leaves the control connection in an unknown state: mark the session unusable.</summary>
        private async Task<T> Guard<T>(Func<Task<T>> operation)
        {
            try { return await operation().ConfigureAwait(false); }
            catch (Exception ex) { MarkBroken(ex); throw; }
        }

        private async Task Guard(Func<Task> operation)
        {
            try { await operation().ConfigureAwait(false); }
            catch (Exception ex) { MarkBroken(ex); throw; }
        }

        private Exception MarkBroken(Exception ex)
        {
            // A refusal (the card answered with a 4xx/5xx) leaves the session in a clean state; everything else does not.
            bool refusal = ex is FileTransferException fte && fte.ServerMessage != null && fte.Kind != TransferFailureKind.TimedOut
                           && fte.Kind != TransferFailureKind.ProtocolError;
            if (!refusal)
            {
                broken = true;
                control.Dispose();
            }
            return ex;
        }

        private FileTransferException MarkBroken(FileTransferException ex)
        {
            MarkBroken((Exception)ex);
            return ex;
        }

        private void EnsureUsable()
        {
            if (disposed) throw new ObjectDisposedException(nameof(FtpClientSession));
            if (broken)
                throw new FileTransferException(TransferFailureKind.TransferFailed, host,
                    $"{host}: this FTP session was interrupted by an earlier failure; open a new session.");
        }

        private void ValidateRemoteName(string remoteName)
        {
            if (string.IsNullOrWhiteSpace(remoteName))
                throw new ArgumentException($"{host}: the remote file name is empty.", nameof(remoteName));
            if (HasLineBreak(remoteName) || remoteName.IndexOf('\0') >= 0)
                throw new ArgumentException($"{host}: the remote file name contains a line break or NUL, which FTP cannot send.", nameof(remoteName));
            if (remoteName.EndsWith("/", StringComparison.Ordinal))
                throw new ArgumentException($"{host}: '{remoteName}' names a folder; give a file name as the target.", nameof(remoteName));
        }

        private static bool HasLineBreak(string text) => text.IndexOf('\r') >= 0 || text.IndexOf('\n') >= 0;
    }
}
