using System;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Updates
{
    /// <summary>Opens a logged-in file-transfer session to a card (credentials are the caller's business).</summary>
    public interface IDeviceSessionFactory
    {
        Task<IFileTransferSession> OpenAsync(NmcDevice device, CancellationToken cancellationToken);
    }

    /// <summary>
    /// The usual factory: picks the client for the card's protocol and builds its connection options
    /// (host, port, decrypted credential, host-key policy) through a delegate the inventory supplies.
    /// </summary>
    public sealed class TransferClientSessionFactory : IDeviceSessionFactory
    {
        private readonly Func<NmcDevice, IFileTransferClient> _clientFor;
        private readonly Func<NmcDevice, ConnectionOptions> _optionsFor;

        public TransferClientSessionFactory(Func<NmcDevice, IFileTransferClient> clientFor, Func<NmcDevice, ConnectionOptions> optionsFor)
        {
            _clientFor = clientFor ?? throw new ArgumentNullException(nameof(clientFor));
            _optionsFor = optionsFor ?? throw new ArgumentNullException(nameof(optionsFor));
        }

        public Task<IFileTransferSession> OpenAsync(NmcDevice device, CancellationToken cancellationToken) =>
            _clientFor(device).OpenAsync(_optionsFor(device), cancellationToken);
    }
}
