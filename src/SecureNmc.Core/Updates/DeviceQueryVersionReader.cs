using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Query;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Updates
{
    /// <summary>
    /// <see cref="IDeviceVersionReader"/> over the device query (issue 3): queries a copy of the device
    /// record, so polling a restarting card never disturbs the inventory's own status, and turns a
    /// failed query back into the typed transport failure the engine classifies.
    /// </summary>
    public sealed class DeviceQueryVersionReader : IDeviceVersionReader
    {
        private readonly DeviceQueryService _query;
        private readonly Func<NmcDevice, NetworkCredential?> _credentialFor;

        public DeviceQueryVersionReader(DeviceQueryService query, Func<NmcDevice, NetworkCredential?> credentialFor)
        {
            _query = query ?? throw new ArgumentNullException(nameof(query));
            _credentialFor = credentialFor ?? throw new ArgumentNullException(nameof(credentialFor));
        }

        public async Task<DeviceVersions> ReadAsync(NmcDevice device, CancellationToken cancellationToken)
        {
            var probe = device.Clone();
            var result = await _query.QueryAsync(probe, _credentialFor(device), cancellationToken).ConfigureAwait(false);
            var identity = result.Identity;
            if (result.Succeeded && identity?.ApplicationType != null && FirmwareVersion.TryParse(identity.ApplicationVersion, out var application))
            {
                return new DeviceVersions(identity.ApplicationType.Value, application,
                    FirmwareVersion.TryParse(identity.AosVersion, out var aos) ? aos : (FirmwareVersion?)null,
                    FirmwareVersion.TryParse(identity.BootloaderVersion, out var boot) ? boot : (FirmwareVersion?)null,
                    identity);
            }
            var detail = result.Detail ?? $"{device.DisplayName} did not report its firmware versions.";
            throw new FileTransferException(KindOf(result.Outcome), device.Host, detail);
        }

        private static TransferFailureKind KindOf(DeviceQueryOutcome outcome) => outcome switch
        {
            DeviceQueryOutcome.NoCredential => TransferFailureKind.BadCredentials,
            DeviceQueryOutcome.BadCredentials => TransferFailureKind.BadCredentials,
            DeviceQueryOutcome.MultiFactorRequired => TransferFailureKind.MultiFactorRequired,
            DeviceQueryOutcome.PasswordChangeRequired => TransferFailureKind.PasswordChangeRequired,
            DeviceQueryOutcome.InsufficientRights => TransferFailureKind.InsufficientRights,
            DeviceQueryOutcome.CannotConnect => TransferFailureKind.CannotConnect,
            DeviceQueryOutcome.TimedOut => TransferFailureKind.TimedOut,
            DeviceQueryOutcome.HostKeyRejected => TransferFailureKind.HostKeyRejected,
            DeviceQueryOutcome.SessionLimitReached => TransferFailureKind.SessionLimitReached,
            DeviceQueryOutcome.ConnectionDropped => TransferFailureKind.TransferFailed,
            // Success without versions, an unreadable or unsupported answer: the card is not (yet) itself.
            _ => TransferFailureKind.ProtocolError,
        };
    }
}
