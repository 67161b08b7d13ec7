using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Transport.Scp;

namespace SecureNmc.Core.Transport
{
    /// <summary>
    /// Reaches cards over SSH (SSH.NET) and moves files with classic SCP run over an exec channel
    /// (cards have no SFTP). Sessions also run CLI commands (<see cref="ICommandSession"/>), e.g. <c>about</c>.
    /// </summary>
    public sealed class ScpFileTransferClient : IFileTransferClient
    {
        public TransferProtocol Protocol => TransferProtocol.Scp;

        public async Task<IFileTransferSession> OpenAsync(ConnectionOptions options, CancellationToken cancellationToken) =>
            await SshNetConnector.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
    }
}
