using SecureNmc.Core.Ftp;
using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.IO;

namespace SecureNmc.Simulator.Ftp.Server
{
    /// <summary>
    /// The read-only stream an <see cref="IFtpFileSystem"/> receives for an upload: the data connection's
    /// bytes, each read bounded by the data timeout, with the drop-mid-transfer fault applied.
    /// </summary>
    internal sealed class FtpUploadStream : ForwardReadStream
    {
        private readonly Stream data;
        private readonly TimeSpan limit;
        private readonly CancellationToken sessionToken;
        private readonly FtpServerFaults faults;
        private readonly Action dropSession;
        private long received;
        private bool ended;

        public FtpUploadStream(Stream data, TimeSpan limit, CancellationToken sessionToken, FtpServerFaults faults, Action dropSession)
        {
            this.data = data;
            this.limit = limit;
            this.sessionToken = sessionToken;
            this.faults = faults;
            this.dropSession = dropSession;
        }

        public long BytesReceived => received;
        public override long Position { get => received; set => throw new NotSupportedException(); }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (ended || count == 0) return 0;
            long dropAt = faults.DropConnectionAfterBytes;
            if (dropAt >= 0 && received >= dropAt)
            {
                dropSession();
                throw new IOException("The connection was dropped (fault injection).");
            }
            if (dropAt >= 0) count = (int)Math.Max(1, Math.Min(count, dropAt - received));
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(sessionToken, cancellationToken))
            {
                int read = await StepDeadline.RunAsync(t => data.ReadAsync(buffer, offset, count, t), limit, data, linked.Token).ConfigureAwait(false);
                if (read == 0) ended = true;
                received += read;
                return read;
            }
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        /// <summary>Reads and discards whatever the handler left unread, so the client's upload can complete.</summary>
        public async Task DrainAsync()
        {
            var scratch = new byte[FtpLimits.DataChunkSize];
            while (await ReadAsync(scratch, 0, scratch.Length, CancellationToken.None).ConfigureAwait(false) > 0) { }
        }

    }
}
