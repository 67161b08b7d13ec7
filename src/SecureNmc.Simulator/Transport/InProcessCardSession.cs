using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.IO;
using SecureNmc.Core.Transport;
using SecureNmc.Simulator.Cards;

namespace SecureNmc.Simulator.Transport
{
    /// <summary>A simulator-transport session (see <see cref="InProcessCardTransport"/>).</summary>
    internal class InProcessCardSession : IFileTransferSession
    {
        protected readonly CardSession Card;
        protected readonly string Host;
        private readonly TimeSpan _operationTimeout;

        public InProcessCardSession(CardSession card, string host, TimeSpan operationTimeout, string? banner)
        {
            Card = card;
            Host = host;
            _operationTimeout = operationTimeout;
            Banner = banner;
        }

        public string? Banner { get; }

        public Task DownloadAsync(string remoteName, Stream destination, IProgress<TransferProgress>? progress, CancellationToken cancellationToken) =>
            RunAsync($"read {remoteName}", async ct =>
            {
                var bytes = await Card.ReadFileAsync(remoteName, ct).ConfigureAwait(false);
                await destination.WriteAsync(bytes, 0, bytes.Length, ct).ConfigureAwait(false);
                progress?.Report(new TransferProgress(bytes.Length, bytes.Length));
                return true;
            }, cancellationToken);

        public Task UploadAsync(string remoteName, Stream source, long length, IProgress<TransferProgress>? progress, CancellationToken cancellationToken) =>
            RunAsync($"upload {remoteName}", async ct =>
            {
                var counting = new ProgressStream(source, length, progress);
                var result = await Card.ReceiveUploadAsync(remoteName, counting, length, ct).ConfigureAwait(false);
                if (!result.Accepted)
                    throw new FileTransferException(TransferFailureKind.TransferFailed, Host, $"{Host} rejected {remoteName}: {result.Message}") { ServerMessage = result.Message };
                return true;
            }, cancellationToken);

        public Task CloseAsync(CancellationToken cancellationToken)
        {
            Card.Dispose();
            return Task.CompletedTask;
        }

        public void Dispose() => Card.Dispose();

        /// <summary>Runs one card operation under the operation timeout, mapping card refusals to typed failures.</summary>
        protected async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Card.Dropped);
            timeout.CancelAfter(_operationTimeout);
            try
            {
                return await operation(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (Card.Dropped.IsCancellationRequested)
                    throw new FileTransferException(TransferFailureKind.TransferFailed, Host, $"{Host} closed the connection during '{what}': {Card.DropReason}") { ServerMessage = Card.DropReason };
                throw new FileTransferException(TransferFailureKind.TimedOut, Host, $"{Host} did not answer '{what}' within {_operationTimeout.TotalSeconds:0.###} s.");
            }
            catch (CardOperationException ex)
            {
                var kind = ex.Kind switch
                {
                    CardErrorKind.PermissionDenied => TransferFailureKind.InsufficientRights,
                    _ => TransferFailureKind.TransferFailed,
                };
                throw new FileTransferException(kind, Host, $"{Host} refused '{what}': {ex.Message}") { ServerMessage = ex.Message };
            }
        }

        /// <summary>Reports progress as the card pulls bytes from the caller's stream.</summary>
        private sealed class ProgressStream : ForwardReadStream
        {
            private readonly Stream _inner;
            private readonly long _total;
            private readonly IProgress<TransferProgress>? _progress;
            private long _done;

            public ProgressStream(Stream inner, long total, IProgress<TransferProgress>? progress)
            {
                _inner = inner;
                _total = total;
                _progress = progress;
            }

            public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                int n = await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
                _done += n;
                _progress?.Report(new TransferProgress(_done, _total));
                return n;
            }

            public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
            public override long Length => _total;
            public override long Position { get => _done; set => throw new NotSupportedException(); }
        }
    }

    /// <summary>SSH sessions also run CLI commands.</summary>
    internal sealed class InProcessCardCommandSession : InProcessCardSession, ICommandSession
    {
        public InProcessCardCommandSession(CardSession card, string host, TimeSpan operationTimeout, string? banner)
            : base(card, host, operationTimeout, banner) { }

        public Task<string> ExecuteAsync(string command, CancellationToken cancellationToken) =>
            RunAsync($"run {command}", ct => Card.RunCommandAsync(command, ct), cancellationToken);
    }
}
