using System;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Ssh.Client;

namespace SecureNmc.Core.Transport
{
    /// <summary>
    /// Reaches cards over SSH and moves files with classic SCP (cards have no SFTP). Sessions also
    /// run CLI commands (<see cref="ICommandSession"/>), e.g. <c>about</c>.
    /// </summary>
    public sealed class ScpFileTransferClient : IFileTransferClient
    {
        public TransferProtocol Protocol => TransferProtocol.Scp;

        public async Task<IFileTransferSession> OpenAsync(ConnectionOptions options, CancellationToken cancellationToken)
        {
            var client = await SshClient.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
            return new ScpFileTransferSession(client);
        }
    }
}
