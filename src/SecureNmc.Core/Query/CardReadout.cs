using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.CardFiles;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Query
{
    /// <summary>
    /// The raw texts one session read from a card. Reading is separated from interpreting so an
    /// abandoned (timed-out) read can never touch the device record.
    /// </summary>
    internal sealed class CardReadout
    {
        public byte[] ConfigIni = new byte[0];
        public string? About;
        public string? Banner;
        public byte[]? EventLog;
        public byte[]? DataLog;
        public readonly List<string> Warnings = new List<string>();

        /// <summary>The required step in progress, for failure texts ("connect and log in", "read config.ini").</summary>
        public volatile string Step = "connect and log in";

        public static async Task<CardReadout> ReadAsync(IFileTransferClient client, ConnectionOptions connection, DeviceQueryOptions options, CardReadout readout, CancellationToken ct)
        {
            using var session = await client.OpenAsync(connection, ct).ConfigureAwait(false);
            readout.Banner = session.Banner;
            readout.Step = "read config.ini";
            readout.ConfigIni = await DownloadAsync(session, "config.ini", ct).ConfigureAwait(false);
            readout.Step = "read the optional files";

            bool linkUsable = true;
            if (options.RunAbout && session is ICommandSession commands)
            {
                try
                {
                    readout.About = await commands.ExecuteAsync("about", ct).ConfigureAwait(false);
                }
                catch (FileTransferException ex)
                {
                    readout.Warnings.Add($"'about' could not be run: {ex.Message}");
                    linkUsable = !BreaksSession(ex);
                }
            }
            if (linkUsable && options.ReadEventLog)
                linkUsable = await TryDownloadAsync(session, "event.txt", b => readout.EventLog = b, readout.Warnings, ct).ConfigureAwait(false);
            if (linkUsable && options.ReadDataLog)
                linkUsable = await TryDownloadAsync(session, "data.txt", b => readout.DataLog = b, readout.Warnings, ct).ConfigureAwait(false);

            if (linkUsable)
            {
                try
                {
                    await session.CloseAsync(ct).ConfigureAwait(false);
                }
                catch (FileTransferException ex)
                {
                    connection.Logger.LogDebug("Closing the session to {Host} failed: {Reason}", connection.Host, ex.Message);
                }
            }
            return readout;
        }

        private static async Task<bool> TryDownloadAsync(IFileTransferSession session, string name, Action<byte[]> store, List<string> warnings, CancellationToken ct)
        {
            try
            {
                store(await DownloadAsync(session, name, ct).ConfigureAwait(false));
                return true;
            }
            catch (FileTransferException ex)
            {
                warnings.Add($"{name} could not be read: {ex.Message}");
                return !BreaksSession(ex);
            }
        }

        /// <summary>After these the session cannot be trusted for further reads.</summary>
        private static bool BreaksSession(FileTransferException ex) =>
            ex.Kind == TransferFailureKind.TimedOut || ex.Kind == TransferFailureKind.CannotConnect || ex.Kind == TransferFailureKind.ProtocolError;

        private static async Task<byte[]> DownloadAsync(IFileTransferSession session, string name, CancellationToken ct)
        {
            using var buffer = new BoundedMemoryStream(CardText.MaxLength, name);
            await session.DownloadAsync(name, buffer, null, ct).ConfigureAwait(false);
            return buffer.ToArray();
        }

        /// <summary>A memory stream that refuses to grow past a limit, so a misbehaving peer cannot exhaust memory.</summary>
        private sealed class BoundedMemoryStream : MemoryStream
        {
            private readonly long _limit;
            private readonly string _name;

            public BoundedMemoryStream(long limit, string name)
            {
                _limit = limit;
                _name = name;
            }

            public override void Write(byte[] buffer, int offset, int count)
            {
                if (Length + count > _limit) throw new IOException($"{_name} is larger than {_limit} bytes; a card file is never that large.");
                base.Write(buffer, offset, count);
            }

            public override void WriteByte(byte value)
            {
                if (Length + 1 > _limit) throw new IOException($"{_name} is larger than {_limit} bytes; a card file is never that large.");
                base.WriteByte(value);
            }
        }
    }
}
