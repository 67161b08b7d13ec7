using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Ssh.Client;
using SecureNmc.Core.Ssh.Scp;

namespace SecureNmc.Core.Transport
{
    /// <summary>One logged-in SSH session to a card: SCP transfers and CLI commands, one at a time.</summary>
    public sealed class ScpFileTransferSession : IFileTransferSession, ICommandSession
    {
        private readonly SshClient _client;
        private readonly SemaphoreSlim _oneAtATime = new SemaphoreSlim(1, 1);

        internal ScpFileTransferSession(SshClient client)
        {
            _client = client;
        }

        public string? Banner => _client.Banner;

        /// <summary>The SSH connection underneath (server identification, negotiated algorithms).</summary>
        public SshClient Connection => _client;

        public async Task DownloadAsync(string remoteName, Stream destination, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
        {
            if (destination == null) throw new ArgumentNullException(nameof(destination));
            await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await ScpClientOperations.DownloadAsync(_client, remoteName, destination, progress, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _oneAtATime.Release();
            }
        }

        public async Task UploadAsync(string remoteName, Stream source, long length, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
        {
            if (source == null) throw new ArgumentNullException(nameof(source));
            await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await ScpClientOperations.UploadAsync(_client, remoteName, source, length, progress, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _oneAtATime.Release();
            }
        }

        /// <summary>Runs a CLI command (e.g. "about") and returns its standard output.</summary>
        public async Task<string> ExecuteAsync(string command, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(command)) throw new ArgumentException("No command given.", nameof(command));
            await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await _client.RunCommandAsync(command, cancellationToken).ConfigureAwait(false);
                return result.Output;
            }
            finally
            {
                _oneAtATime.Release();
            }
        }

        public Task CloseAsync(CancellationToken cancellationToken) => _client.CloseAsync(cancellationToken);

        public void Dispose() => _client.Dispose();
    }
}
