using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace SecureNmc.Core.Transport
{
    /// <summary>Opens sessions to cards for one protocol (SCP or FTP).</summary>
    public interface IFileTransferClient
    {
        TransferProtocol Protocol { get; }

        /// <summary>Connects and logs in. Throws a <see cref="FileTransferException"/> subclass on failure.</summary>
        Task<IFileTransferSession> OpenAsync(ConnectionOptions options, CancellationToken cancellationToken);
    }

    /// <summary>
    /// One logged-in session to one card. Cards allow few sessions, so callers open one,
    /// do their work and close it; never two at once per card.
    /// </summary>
    public interface IFileTransferSession : IDisposable
    {
        /// <summary>What the card said at login (SSH authentication banner, FTP welcome), if anything.</summary>
        string? Banner { get; }

        /// <summary>Fetches a file from the card's root into <paramref name="destination"/>.</summary>
        Task DownloadAsync(string remoteName, Stream destination, IProgress<TransferProgress>? progress, CancellationToken cancellationToken);

        /// <summary>Sends <paramref name="length"/> bytes of <paramref name="source"/> as a file named <paramref name="remoteName"/> (a name, never a folder).</summary>
        Task UploadAsync(string remoteName, Stream source, long length, IProgress<TransferProgress>? progress, CancellationToken cancellationToken);

        /// <summary>Logs out politely; Dispose alone just drops the connection.</summary>
        Task CloseAsync(CancellationToken cancellationToken);
    }

    /// <summary>Sessions that can also run a CLI command (SSH): used for <c>about</c>.</summary>
    public interface ICommandSession
    {
        Task<string> ExecuteAsync(string command, CancellationToken cancellationToken);
    }

    public readonly struct TransferProgress
    {
        public TransferProgress(long bytesTransferred, long totalBytes)
        {
            BytesTransferred = bytesTransferred;
            TotalBytes = totalBytes;
        }

        public long BytesTransferred { get; }

        /// <summary>-1 when the size is not known in advance.</summary>
        public long TotalBytes { get; }
    }
}
