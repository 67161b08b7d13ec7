using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.CardFiles;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Updates
{
    /// <summary>
    /// Reads what firmware a card runs right now (the device query adapts to this). Used before an
    /// update, to poll a restarting card and to verify the result. Throws a
    /// <see cref="Transport.FileTransferException"/> when the card cannot be reached or refuses the login.
    /// </summary>
    public interface IDeviceVersionReader
    {
        Task<DeviceVersions> ReadAsync(NmcDevice device, CancellationToken cancellationToken);
    }

    /// <summary>The firmware facts one read returned.</summary>
    public sealed class DeviceVersions
    {
        public DeviceVersions(ApplicationType applicationType, FirmwareVersion applicationVersion, FirmwareVersion? aosVersion = null, FirmwareVersion? bootloaderVersion = null,
                              CardIdentity? identity = null)
        {
            ApplicationType = applicationType;
            ApplicationVersion = applicationVersion;
            AosVersion = aosVersion;
            BootloaderVersion = bootloaderVersion;
            Identity = identity;
        }

        /// <summary>Everything the read learned (model, serial, system name...), when the reader is the device query; null otherwise.</summary>
        public CardIdentity? Identity { get; }

        public ApplicationType ApplicationType { get; }
        public FirmwareVersion ApplicationVersion { get; }
        public FirmwareVersion? AosVersion { get; }
        public FirmwareVersion? BootloaderVersion { get; }

        public override string ToString() => ApplicationVersionText.Format(ApplicationType, ApplicationVersion);
    }
}
