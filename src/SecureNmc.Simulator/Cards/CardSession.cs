using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Simulator.Firmware;
using SecureNmc.Simulator.Rendering;

namespace SecureNmc.Simulator.Cards
{
    /// <summary>
    /// One logged-in session on a <see cref="SimulatedCard"/>: read a file, receive an upload, run a CLI
    /// command. <see cref="Dropped"/> fires when the card ends the session (restart, cut-off upload), so
    /// a server adapter can close the connection.
    /// </summary>
    public sealed class CardSession : IDisposable
    {
        private const int ChunkBytes = 16 * 1024;
        private const long MaxUploadBytes = 256L * 1024 * 1024;
        private readonly SimulatedCard _card;
        private readonly CancellationTokenSource _dropped = new CancellationTokenSource();
        private int _closed;

        internal CardSession(SimulatedCard card, CardUser user, CardProtocol protocol)
        {
            _card = card;
            User = user;
            Protocol = protocol;
        }

        public CardUser User { get; }

        /// <summary>False for per-operation sessions of a server connection (the server counts the connection).</summary>
        internal bool CountsTowardLimit { get; set; } = true;
        public CardProtocol Protocol { get; }
        public bool IsOpen => Volatile.Read(ref _closed) == 0;

        /// <summary>Why the card ended the session, when it did.</summary>
        public string? DropReason { get; private set; }

        /// <summary>Cancelled when the card drops this session.</summary>
        public CancellationToken Dropped => _dropped.Token;

        /// <summary>The card's root files: config.ini, event.txt, data.txt (any case, optional leading '/').</summary>
        public async Task<byte[]> ReadFileAsync(string name, CancellationToken cancellationToken)
        {
            EnsureOpen();
            await _card.ReplyDelayAsync(cancellationToken).ConfigureAwait(false);
            EnsureOpen();
            var file = NormalizeName(name).ToLowerInvariant();
            var context = _card.Snapshot(User.UserName, User.RoleName, withEvents: file == "event.txt");
            string text;
            switch (file)
            {
                case "config.ini": text = ConfigIniRenderer.Render(context); break;
                case "event.txt": text = LogFileRenderer.RenderEventLog(context); break;
                case "data.txt": text = LogFileRenderer.RenderDataLog(context); break;
                default: throw new CardOperationException(CardErrorKind.NotFound, $"{name}: No such file or directory");
            }
            return Encoding.UTF8.GetBytes(text);
        }

        /// <summary>
        /// Receives <paramref name="length"/> bytes (or, when it is negative, everything to the end of the stream) named <paramref name="name"/> at the card's upload speed.
        /// The file is checked as it streams in (<see cref="SimulatorPackageReceiver"/>): the card holds one
        /// chunk at a time, never the whole file, and takes the next chunk only after pacing the last one,
        /// so a sender that streams (SCP over a flow-controlled channel, FTP) is paced by the card.
        /// Returns the card's verdict (accepted packages restart the card and end this session); throws
        /// <see cref="CardOperationException"/> when the user may not upload or the transfer is cut off.
        /// </summary>
        public async Task<CardUploadResult> ReceiveUploadAsync(string name, Stream source, long length, CancellationToken cancellationToken)
        {
            EnsureOpen();
            if (!User.MayUpload)
                throw new CardOperationException(CardErrorKind.PermissionDenied, $"{name}: Permission denied (user '{User.UserName}' is a {User.RoleName} and may not upload files).");
            var fileName = NormalizeName(name);
            if (fileName.Length == 0 || fileName.IndexOf('/') >= 0 || fileName.IndexOf('\\') >= 0)
                throw new CardOperationException(CardErrorKind.PermissionDenied, $"{name}: Not a file name in the card's root.");
            if (length > MaxUploadBytes)
                throw new CardOperationException(CardErrorKind.PermissionDenied, $"{name}: File too large.");

            bool untilEnd = length < 0; // FTP STOR: the size is known only at the end
            bool isPackageName = fileName.EndsWith(".nmc3", StringComparison.OrdinalIgnoreCase);
            // Only a package is checked; anything else is taken in (paced) and refused by name at the end, as before.
            using var receiver = isPackageName ? new SimulatorPackageReceiver(VerifiedPackageReferences.Shared) : null;
            var chunk = new byte[untilEnd ? ChunkBytes : (int)Math.Min(ChunkBytes, Math.Max(1, length))];
            long done = 0;
            var dropAfter = _card.Faults.DropUploadAfterBytes;
            var stallAfter = _card.Faults.StallUploadAfterBytes;
            // The corruption fault flips one byte in transit: the middle one when the size is announced,
            // else the first after the magic. Either way a package then fails its integrity check.
            long corruptAt = !_card.Faults.CorruptReceivedFile ? -1 : untilEnd ? SimulatorFirmwarePackage.Magic.Length : length / 2;
            var timing = _card.Timing;
            var total = untilEnd ? "?" : length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var pacer = new UploadPacer(_card.Clock, timing.UploadBytesPerSecond);
            while (untilEnd || done < length)
            {
                int want = (int)(untilEnd ? ChunkBytes : Math.Min(chunk.Length, length - done));
                if (dropAfter.HasValue && done + want > dropAfter.Value) want = (int)Math.Max(0, dropAfter.Value - done);
                if (want == 0)
                {
                    Drop("The connection was lost during the upload.");
                    throw new CardOperationException(CardErrorKind.ConnectionDropped, $"{name}: Connection lost after {done} of {total} bytes.");
                }
                if (stallAfter.HasValue && done + want > stallAfter.Value) want = (int)Math.Max(0, stallAfter.Value - done);
                if (want == 0 && stallAfter.HasValue)
                {
                    // Stop reading and keep the link open: the sender's window fills and nothing more happens.
                    using var stalled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _card.Lifetime);
                    await Task.Delay(Timeout.Infinite, stalled.Token).ConfigureAwait(false);
                }
                int read = await source.ReadAsync(chunk, 0, want, cancellationToken).ConfigureAwait(false);
                if (read <= 0)
                {
                    if (untilEnd) break;
                    Drop("The upload ended early.");
                    throw new CardOperationException(CardErrorKind.ConnectionDropped, $"{name}: Upload ended after {done} of {total} bytes.");
                }
                if (done + read > MaxUploadBytes) throw new CardOperationException(CardErrorKind.PermissionDenied, $"{name}: File too large.");
                if (corruptAt >= done && corruptAt < done + read) chunk[corruptAt - done] ^= 0x5A;
                receiver?.Append(chunk, 0, read);
                done += read;
                _card.CountUploadBytes(read);
                if (timing.UploadBytesPerSecond > 0)
                {
                    await pacer.WaitForScheduleAsync(done, cancellationToken).ConfigureAwait(false);
                    _card.CountUploadPacing(TimeSpan.FromSeconds(read / timing.UploadBytesPerSecond));
                }
                EnsureOpen();
            }

            if (!isPackageName)
                return CardUploadResult.Reject($"{fileName}: Only firmware packages (.nmc3) can be uploaded to this card.");
            var package = receiver!.Complete(out var problem);
            await _card.ReplyDelayAsync(cancellationToken).ConfigureAwait(false);
            return _card.InstallPackage(fileName, package, problem, this);
        }

        /// <summary>Runs a CLI command: <c>about</c>, <c>whoami</c>; anything else answers E101 as a card does.</summary>
        public async Task<string> RunCommandAsync(string commandLine, CancellationToken cancellationToken)
        {
            EnsureOpen();
            await _card.ReplyDelayAsync(cancellationToken).ConfigureAwait(false);
            EnsureOpen();
            var command = (commandLine ?? "").Trim();
            var verb = command.Split(' ')[0].ToLowerInvariant();
            switch (verb)
            {
                case "about": return CliRenderer.RenderAbout(_card.Snapshot(User.UserName, User.RoleName));
                case "whoami": return "E000: Success\r\n" + User.UserName + "\r\n";
                case "exit":
                case "quit":
                case "bye":
                    Dispose();
                    return "Bye.\r\n";
                default: return "E101: Command Not Found\r\n";
            }
        }

        internal void MarkDropped(string reason)
        {
            DropReason ??= reason;
            Volatile.Write(ref _closed, 1);
            try { _dropped.Cancel(); } catch (ObjectDisposedException) { }
        }

        private void Drop(string reason)
        {
            _card.Remove(this);
            MarkDropped(reason);
        }

        private void EnsureOpen()
        {
            if (!IsOpen) throw new CardOperationException(CardErrorKind.ConnectionDropped, DropReason ?? "The session is closed.");
        }

        private static string NormalizeName(string name) => (name ?? "").Trim().TrimStart('/');

        /// <summary>Logs out (frees the card's session slot).</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 1) return;
            _card.Remove(this);
            DropReason ??= "The session is closed.";
        }
    }
}
