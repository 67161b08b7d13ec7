using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Ftp;
using SshNetClient = Renci.SshNet.SshClient;

namespace SecureNmc.Core.Transport.Scp
{
    /// <summary>Output of one remote command.</summary>
    public sealed class SshCommandOutput
    {
        public SshCommandOutput(string output, string error, int? exitStatus)
        {
            Output = output;
            Error = error;
            ExitStatus = exitStatus;
        }

        public string Output { get; }
        public string Error { get; }
        public int? ExitStatus { get; }
    }

    /// <summary>One logged-in SSH.NET session to a card: SCP transfers and CLI commands, one at a time.</summary>
    public sealed class SshNetScpSession : IFileTransferSession, ICommandSession
    {
        private const int MaxCommandOutput = 4 * 1024 * 1024;
        private readonly SshNetClient _client;
        private readonly SessionThread _calls;
        private readonly ConnectionOptions _options;
        private readonly string _peer;
        private readonly SemaphoreSlim _oneAtATime = new SemaphoreSlim(1, 1);

        internal SshNetScpSession(SshNetClient client, SessionThread calls, ConnectionOptions options, string peer, string? banner)
        {
            _client = client;
            _calls = calls;
            _options = options;
            _peer = peer;
            Banner = banner;
        }

        public string? Banner { get; }

        /// <summary>The card's identification string ("SSH-2.0-...").</summary>
        public string? ServerVersion => _client.ConnectionInfo.ServerVersion;

        /// <summary>What the handshake settled on (diagnostics, tests).</summary>
        public string? KeyExchangeAlgorithm => _client.ConnectionInfo.CurrentKeyExchangeAlgorithm;
        public string? HostKeyAlgorithm => _client.ConnectionInfo.CurrentHostKeyAlgorithm;
        public string? CipherClientToServer => _client.ConnectionInfo.CurrentClientEncryption;
        public string? CipherServerToClient => _client.ConnectionInfo.CurrentServerEncryption;
        public string? MacClientToServer => _client.ConnectionInfo.CurrentClientHmacAlgorithm;
        public string? MacServerToClient => _client.ConnectionInfo.CurrentServerHmacAlgorithm;

        private TimeSpan StallLimit => _options.UploadStallTimeout ?? _options.OperationTimeout;

        public Task DownloadAsync(string remoteName, Stream destination, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
        {
            if (destination == null) throw new ArgumentNullException(nameof(destination));
            return OneAtATime($"download '{remoteName}'",
                () => ScpExchange.DownloadAsync(_client, _calls, remoteName, destination, progress, _options.OperationTimeout, cancellationToken), cancellationToken);
        }

        public Task UploadAsync(string remoteName, Stream source, long length, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
        {
            if (source == null) throw new ArgumentNullException(nameof(source));
            return OneAtATime($"upload '{remoteName}'",
                () => ScpExchange.UploadAsync(_client, _calls, remoteName, source, length, progress, _options.OperationTimeout, StallLimit, cancellationToken), cancellationToken);
        }

        /// <summary>Runs a CLI command (e.g. "about") and returns its standard output.</summary>
        public async Task<string> ExecuteAsync(string command, CancellationToken cancellationToken) =>
            (await RunCommandAsync(command, cancellationToken).ConfigureAwait(false)).Output;

        /// <summary>Runs a command and returns its output, stderr and exit status.</summary>
        public async Task<SshCommandOutput> RunCommandAsync(string command, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(command)) throw new ArgumentException("No command given.", nameof(command));
            SshCommandOutput? result = null;
            await OneAtATime($"run '{SshNetLogin.Printable(command)}'", async () =>
            {
                using var channel = await SshNetExecChannel.StartAsync(_client, _calls, command, _options.OperationTimeout, cancellationToken).ConfigureAwait(false);
                await channel.SendEofAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false);
                var output = new MemoryStream();
                var buffer = new byte[16 * 1024];
                while (true)
                {
                    int n = await channel.ReadAsync(buffer, 0, buffer.Length, _options.OperationTimeout, cancellationToken).ConfigureAwait(false);
                    if (n == 0) break;
                    if (output.Length + n > MaxCommandOutput)
                        throw new FileTransferException(TransferFailureKind.TransferFailed, _options.Host, $"'{SshNetLogin.Printable(command)}' on {_peer} printed more than {MaxCommandOutput} bytes; stopped reading.");
                    output.Write(buffer, 0, n);
                }
                // The output is complete at EOF; a card that never closes the channel does not fail the command.
                var wait = _options.OperationTimeout < TimeSpan.FromSeconds(10) ? _options.OperationTimeout : TimeSpan.FromSeconds(10);
                await channel.WaitForExitAsync(wait, cancellationToken).ConfigureAwait(false);
                result = new SshCommandOutput(Encoding.UTF8.GetString(output.ToArray()), channel.StandardError, channel.ExitStatus);
            }, cancellationToken).ConfigureAwait(false);
            return result!;
        }

        private async Task OneAtATime(string what, Func<Task> work, CancellationToken cancellationToken)
        {
            await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested) throw;
                var mapped = SshNetFailures.DuringOperation(ex, _peer, what, _options.OperationTimeout, StallLimit);
                if (ReferenceEquals(mapped, ex)) throw;
                throw mapped;
            }
            finally
            {
                _oneAtATime.Release();
            }
        }

        /// <summary>Logs out politely (DISCONNECT by application), within a few seconds at most.</summary>
        public async Task CloseAsync(CancellationToken cancellationToken)
        {
            try
            {
                await StepDeadline.RunAsync(_ => _calls.Run(() => _client.Disconnect()), TimeSpan.FromSeconds(5), _client, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                // Logging out is best effort: the work is done, and Dispose drops the connection anyway.
            }
        }

        public void Dispose()
        {
            try { _client.Dispose(); } catch (Exception) { }
            _calls.Dispose();
            _oneAtATime.Dispose();
        }
    }
}
