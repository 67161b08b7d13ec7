using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Transport;

/// <summary>
/// Bench tracing: counts what the engine asks of the cards (logins tried and made, files fetched and
/// sent, commands run), so the cost per card can be read as "so many handshakes, so many transfers".
/// </summary>
sealed class CountingTransport : IFileTransferClient
{
    private readonly IFileTransferClient _inner;
    private long _opensTried, _opensMade, _downloads, _uploads, _commands;

    public CountingTransport(IFileTransferClient inner) => _inner = inner;

    public TransferProtocol Protocol => _inner.Protocol;

    public async Task<IFileTransferSession> OpenAsync(ConnectionOptions options, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _opensTried);
        var session = await _inner.OpenAsync(options, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _opensMade);
        return session is ICommandSession ? new CommandSession(this, session) : new Session(this, session);
    }

    public string Summary(int cards)
    {
        string Per(long total) => (total / (double)Math.Max(1, cards)).ToString("F1");
        return $"per card: {Per(_opensTried)} logins tried, {Per(_opensMade)} made, {Per(_downloads)} downloads, {Per(_uploads)} uploads, {Per(_commands)} commands";
    }

    private class Session : IFileTransferSession
    {
        protected readonly CountingTransport _owner;
        protected readonly IFileTransferSession _inner;

        public Session(CountingTransport owner, IFileTransferSession inner)
        {
            _owner = owner;
            _inner = inner;
        }

        public string? Banner => _inner.Banner;

        public Task DownloadAsync(string remoteName, Stream destination, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _owner._downloads);
            return _inner.DownloadAsync(remoteName, destination, progress, cancellationToken);
        }

        public Task UploadAsync(string remoteName, Stream source, long length, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _owner._uploads);
            return _inner.UploadAsync(remoteName, source, length, progress, cancellationToken);
        }

        public Task CloseAsync(CancellationToken cancellationToken) => _inner.CloseAsync(cancellationToken);
        public void Dispose() => _inner.Dispose();
    
    }

    private sealed class CommandSession : Session, ICommandSession
    {
        public CommandSession(CountingTransport owner, IFileTransferSession inner) : base(owner, inner) { }

        public Task<string> ExecuteAsync(string command, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _owner._commands);
            return ((ICommandSession)_inner).ExecuteAsync(command, cancellationToken);
        }
    }
}
