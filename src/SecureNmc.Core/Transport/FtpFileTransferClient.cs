using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Ftp;

namespace SecureNmc.Core.Transport
{
    /// <summary>Opens FTP sessions to cards (RFC 959 / RFC 2428), passive or active per <see cref="FtpClientOptions.DataMode"/>.</summary>
    public sealed class FtpFileTransferClient : IFileTransferClient
    {
        /// <summary>What cmdlets show with WriteWarning whenever FTP is used: FTP sends the password in clear text.</summary>
        public static string ClearTextPasswordWarning => FtpSecurityNotice.ClearTextPasswordWarning;

        public TransferProtocol Protocol => TransferProtocol.Ftp;

        public async Task<IFileTransferSession> OpenAsync(ConnectionOptions options, CancellationToken cancellationToken) =>
            await FtpClientSession.OpenAsync(options, cancellationToken).ConfigureAwait(false);
    }
}
