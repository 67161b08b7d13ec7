using SecureNmc.Core.Ftp;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace SecureNmc.Simulator.Ftp.Server
{
    /// <summary>
    /// A thread-safe in-memory root folder: the simplest <see cref="IFtpFileSystem"/>, for tests and as a
    /// base for the simulator. <see cref="UploadValidator"/> may refuse an upload after its bytes arrived.
    /// </summary>
    public sealed class InMemoryFtpFileSystem : IFtpFileSystem, IFtpUploadPrecheck
    {
        private readonly object gate = new object();
        private readonly Dictionary<string, (byte[] Content, DateTime Modified)> files =
            new Dictionary<string, (byte[], DateTime)>(StringComparer.Ordinal);

        /// <summary>Returns null to accept, or a refusal text (sent as 550) to reject a completed upload.</summary>
        public Func<string, byte[], FtpSessionInfo, string?>? UploadValidator { get; set; }

        /// <summary>Returns null to let an upload start, or a refusal to send instead of "150" (before any byte moves).</summary>
        public Func<string, FtpSessionInfo, FtpUploadResult?>? UploadPrecheck { get; set; }

        /// <summary>Largest upload kept; bigger ones are refused with 552 so a runaway client cannot exhaust memory.</summary>
        public long MaxUploadBytes { get; set; } = 256L * 1024 * 1024;

        public void SetFile(string name, byte[] content, DateTime? modifiedUtc = null)
        {
            lock (gate) files[name] = ((byte[])content.Clone(), modifiedUtc ?? DateTime.UtcNow);
        }

        public byte[]? GetFile(string name)
        {
            lock (gate) return files.TryGetValue(name, out var file) ? (byte[])file.Content.Clone() : null;
        }

        public bool RemoveFile(string name)
        {
            lock (gate) return files.Remove(name);
        }

        public IReadOnlyList<FtpFileEntry> ListRoot(FtpSessionInfo session)
        {
            lock (gate)
                return files.OrderBy(f => f.Key, StringComparer.Ordinal)
                            .Select(f => new FtpFileEntry(f.Key, f.Value.Content.Length, f.Value.Modified)).ToList();
        }

        public FtpFileEntry? Find(string name, FtpSessionInfo session)
        {
            lock (gate)
                return files.TryGetValue(name, out var file) ? new FtpFileEntry(name, file.Content.Length, file.Modified) : null;
        }

        public Stream? OpenRead(string name, FtpSessionInfo session)
        {
            lock (gate)
                return files.TryGetValue(name, out var file) ? new MemoryStream(file.Content, writable: false) : null;
        }

        public FtpUploadResult? CheckUpload(string name, FtpSessionInfo session) => UploadPrecheck?.Invoke(name, session);

        public async Task<FtpUploadResult> ReceiveUploadAsync(string name, Stream content, FtpSessionInfo session, CancellationToken cancellationToken)
        {
            var buffer = new MemoryStream();
            var chunk = new byte[FtpLimits.DataChunkSize];
            int read;
            while ((read = await content.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxUploadBytes) return FtpUploadResult.Reject("Insufficient storage space.", 552);
                buffer.Write(chunk, 0, read);
            }
            byte[] bytes = buffer.ToArray();
            string? refusal = UploadValidator?.Invoke(name, bytes, session);
            if (refusal != null) return FtpUploadResult.Reject(refusal);
            SetFile(name, bytes);
            return FtpUploadResult.Accept();
        }
    }
}
